import { z } from "zod";
import { normalizeBirthday } from "@/core/contacts/normalize-birthday";
import { NOTIFICATION_DATA_MAX_BYTES, NOTIFICATION_DATA_MAX_DEPTH } from "@/lib/notifications/notification-request";
import { boundedJsonObject } from "@/core/validation/bounded-json";
import { CONTACT_VARIABLE } from "./template-variables";

/** Sample data is rendered once and never stored; the same bounds as a notification's data keep it cheap. */
export const PREVIEW_DATA_MAX_BYTES = NOTIFICATION_DATA_MAX_BYTES;

const jsonObject = boundedJsonObject({ maxDepth: NOTIFICATION_DATA_MAX_DEPTH, maxBytes: PREVIEW_DATA_MAX_BYTES });

const text = z.string().max(1_000).nullable().optional();

/**
 * A sample contact as a template sees it (`first_name`, not `firstName`): the fields of
 * `contact.*`, each optional — a field left out is null, as on a real contact without it.
 */
export const sampleContact = z.strictObject({
  id: z.uuid().optional(),
  email: text,
  phone: text,
  first_name: text,
  last_name: text,
  locale: text,
  timezone: text,
  birthday: z
    .string()
    .refine((value) => normalizeBirthday(value).ok, "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown")
    .nullable()
    .optional(),
  attributes: jsonObject.optional(),
  // birthday_month and birthday_day are derived from `birthday`, as on a stored contact.
} satisfies Record<Exclude<keyof NonNullable<typeof CONTACT_VARIABLE.properties>, "birthday_month" | "birthday_day">, z.ZodType>);

/**
 * POST /api/v1/templates/:id/preview. `as: "campaign"` renders what a campaign message sees
 * (`contact`, and `unsubscribe_url` for email); `as: "notification"` what a notification sees
 * (`data` at the top level, and `contact` when one is given). Without `as`, a request with
 * `data` previews a notification and one without previews a campaign message.
 */
export const templatePreviewRequest = z
  .strictObject({
    contactId: z.uuid("must be a contact id").optional().meta({ description: "Render for this contact of the workspace" }),
    contact: sampleContact.optional().meta({ description: "Or a sample contact as a template sees it (`first_name`, not `firstName`); a field left out is empty" }),
    data: jsonObject.optional().meta({ description: "A notification's `data`, seen at the top level" }),
    as: z.enum(["campaign", "notification"]).optional().meta({ description: "What to preview; without it, a request with `data` previews a notification and one without a campaign message" }),
  })
  .superRefine((value, ctx) => {
    if (value.contactId && value.contact) ctx.addIssue({ code: "custom", path: ["contact"], message: "give either `contactId` or a sample `contact`, not both" });
    if (value.as === "campaign" && value.data) ctx.addIssue({ code: "custom", path: ["data"], message: "a campaign message has no `data`: its template sees `contact` (and `unsubscribe_url`)" });
  });

export type TemplatePreviewRequest = z.infer<typeof templatePreviewRequest>;

/** The rendered message: an email's subject, HTML and text parts, an SMS body with what it costs, or the text (and title) of the other channels. */
export const templatePreviewResponse = z.discriminatedUnion("channel", [
  z.object({ channel: z.literal("email"), as: z.enum(["campaign", "notification"]), subject: z.string(), html: z.string(), text: z.string() }),
  z.object({
    channel: z.literal("sms"),
    as: z.enum(["campaign", "notification"]),
    text: z.string(),
    segments: z.number().int(),
    encoding: z.enum(["GSM-7", "UCS-2"]),
  }),
  z.object({ channel: z.literal("whatsapp"), as: z.enum(["campaign", "notification"]), text: z.string() }),
  z.object({ channel: z.literal("push"), as: z.enum(["campaign", "notification"]), title: z.string(), text: z.string() }),
  z.object({ channel: z.literal("in_app"), as: z.enum(["campaign", "notification"]), title: z.string().nullable(), text: z.string() }),
]);

export type TemplatePreview = z.infer<typeof templatePreviewResponse>;
