import { z } from "zod";
import { CHANNEL_ADDRESS, CHANNEL_LABELS, CHANNELS, subjectIssue } from "@/core/messages/channels";
import { categoryKey } from "@/lib/preferences/category-request";
import { whatsappTemplateSchema } from "@/core/messages/whatsapp";
import { boundedJsonObject, boundedJsonRule } from "@/core/validation/bounded-json";

export const E164 = /^\+[1-9]\d{6,14}$/;
/** Template data is stored on the message row; cap it well under a row's comfortable size. */
export const NOTIFICATION_DATA_MAX_BYTES = 64 * 1024;
/** Far deeper than any template reaches (`{{ order.items[0].sku }}` is 3). */
export const NOTIFICATION_DATA_MAX_DEPTH = 16;

const dataLimits = { maxDepth: NOTIFICATION_DATA_MAX_DEPTH, maxBytes: NOTIFICATION_DATA_MAX_BYTES };
const data = boundedJsonObject(dataLimits)
  .default({})
  .meta({ type: "object", description: `The template's variables, seen at the top level (\`{{ name }}\`); ${boundedJsonRule(dataLimits)}` });

/** POST /api/v1/notifications. Strict: unknown fields are errors, not silently dropped. */
export const notificationRequest = z
  .strictObject({
    messageId: z.string().trim().min(1).max(200).meta({ description: "Your id for this notification: the same id again returns the same notification and sends nothing new" }),
    channel: z.enum(CHANNELS).meta({ description: "`push` and `in_app` go to a contact (its devices, its inbox), so they need `contactId`" }),
    to: z.string().trim().min(1).max(320).optional().meta({ description: "An email address, or an E.164 number for SMS and WhatsApp; or give `contactId`" }),
    contactId: z.uuid().optional().meta({ description: "Send to this contact (its address or number), which templates then see as `contact`" }),
    templateId: z.uuid().optional().meta({ description: "A stored template of the same channel; or give `subject`/`body`" }),
    subject: z.string().min(1).max(1_000).optional().meta({ description: "Without `templateId`, Liquid: an email's subject line or a push notification's title (both required), an in-app message's heading (optional)" }),
    body: z.string().min(1).max(100_000).optional().meta({ description: "Without `templateId`: Liquid (HTML for email, text for the other channels)" }),
    data,
    category: categoryKey.optional().meta({ description: "A category of the workspace (`billing`, `security`): the contact's preferences for it on this channel decide at send time whether it goes out, and its delivery rules (urgent through quiet hours, frequency cap, digest) apply" }),
    whatsapp: z
      .strictObject({ template: whatsappTemplateSchema })
      .optional()
      .meta({ description: "WhatsApp only: send an approved template (any time, to an opted-in contact) instead of a `body` (a session message, only within 24 hours of the contact's last message)" }),
  })
  .superRefine((value, ctx) => {
    if (Boolean(value.to) === Boolean(value.contactId)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "give exactly one of `to` or `contactId`" });
    }
    const address = CHANNEL_ADDRESS[value.channel];
    if (value.to && address === "contact") {
      ctx.addIssue({ code: "custom", path: ["to"], message: `${CHANNEL_LABELS[value.channel]} messages go to a contact: give \`contactId\`` });
    }
    if (value.to && address === "email" && !z.email().safeParse(value.to).success) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be an email address" });
    }
    if (value.to && address === "phone" && !E164.test(value.to)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be a phone number in E.164 form, e.g. +14155550123" });
    }
    if (value.whatsapp) {
      if (value.channel !== "whatsapp") ctx.addIssue({ code: "custom", path: ["whatsapp"], message: "only for channel `whatsapp`" });
      else if (value.templateId || value.subject || value.body) {
        ctx.addIssue({ code: "custom", path: ["whatsapp"], message: "a template message has no `templateId`, `subject` or `body`: its text is the approved template's" });
      }
    } else if (value.templateId) {
      if (value.subject || value.body) {
        ctx.addIssue({ code: "custom", path: ["templateId"], message: "give either `templateId` or `subject`/`body`, not both" });
      }
    } else {
      if (!value.body) ctx.addIssue({ code: "custom", path: ["body"], message: "required when no `templateId` is given" });
      const issue = subjectIssue(value.channel, value.subject);
      if (issue) ctx.addIssue({ code: "custom", path: ["subject"], message: issue === "required for email" ? "required for email when no `templateId` is given" : issue });
    }
  });

export type NotificationRequest = z.infer<typeof notificationRequest>;
