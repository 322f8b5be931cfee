import { z } from "zod";
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
    channel: z.enum(["email", "sms"]),
    to: z.string().trim().min(1).max(320).optional().meta({ description: "An email address, or an E.164 number for SMS; or give `contactId`" }),
    contactId: z.uuid().optional().meta({ description: "Send to this contact (its address or number), which templates then see as `contact`" }),
    templateId: z.uuid().optional().meta({ description: "A stored template of the same channel; or give `subject`/`body`" }),
    subject: z.string().min(1).max(1_000).optional().meta({ description: "Email only, without `templateId`: Liquid" }),
    body: z.string().min(1).max(100_000).optional().meta({ description: "Without `templateId`: Liquid (HTML for email, text for SMS)" }),
    data,
  })
  .superRefine((value, ctx) => {
    if (Boolean(value.to) === Boolean(value.contactId)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "give exactly one of `to` or `contactId`" });
    }
    if (value.to && value.channel === "email" && !z.email().safeParse(value.to).success) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be an email address" });
    }
    if (value.to && value.channel === "sms" && !E164.test(value.to)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be a phone number in E.164 form, e.g. +14155550123" });
    }
    if (value.templateId) {
      if (value.subject || value.body) {
        ctx.addIssue({ code: "custom", path: ["templateId"], message: "give either `templateId` or `subject`/`body`, not both" });
      }
    } else {
      if (!value.body) ctx.addIssue({ code: "custom", path: ["body"], message: "required when no `templateId` is given" });
      if (value.channel === "email" && !value.subject) {
        ctx.addIssue({ code: "custom", path: ["subject"], message: "required for email when no `templateId` is given" });
      }
      if (value.channel === "sms" && value.subject) {
        ctx.addIssue({ code: "custom", path: ["subject"], message: "SMS has no subject" });
      }
    }
  });

export type NotificationRequest = z.infer<typeof notificationRequest>;
