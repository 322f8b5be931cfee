import { z } from "zod";
import { DATE_FIELD_RULE, parseDateField, parseLocalDate } from "@/core/automations/date-schedule";
import { CHANNELS } from "@/core/messages/channels";
import { categoryKey } from "@/lib/preferences/category-request";

const dateField = z
  .string()
  .trim()
  .refine((value) => parseDateField(value) !== null, { message: DATE_FIELD_RULE })
  .meta({ description: "`birthday` (year-less birthdays included), `created_at` (the signup anniversary, its UTC day) or `attribute:<key>` (an attribute holding `YYYY-MM-DD`, sent from that year on, or `--MM-DD`, every year)" });

const fields = {
  name: z.string().trim().min(1).max(200).meta({ description: "What the dashboard calls it" }),
  dateField,
  sendHour: z.number().int().min(0).max(23).meta({ description: "Local hour of the send in each contact's zone (the workspace's delivery-settings zone for contacts without one), 0–23" }),
  sendMinute: z.number().int().min(0).max(59).meta({ description: "Minute of the local send time, 0–59" }),
  channel: z.enum(CHANNELS).meta({ description: "The channel of the template" }),
  templateId: z.uuid().meta({ description: "A template of this workspace, for `channel`" }),
  category: categoryKey.nullable().meta({ description: "A category of the workspace: the contact's preferences, quiet hours and caps apply as for any notification of it" }),
};

/** POST /api/v1/date-automations. Strict: unknown fields are errors. */
export const dateAutomationCreateRequest = z.strictObject({
  ...fields,
  sendHour: fields.sendHour.default(9),
  sendMinute: fields.sendMinute.default(0),
  category: fields.category.default(null),
});

/** PATCH /api/v1/date-automations/{id}: any of the fields; `channel` and `templateId` are checked together. */
export const dateAutomationPatchRequest = z
  .strictObject({
    name: fields.name.optional(),
    dateField: fields.dateField.optional(),
    sendHour: fields.sendHour.optional(),
    sendMinute: fields.sendMinute.optional(),
    channel: fields.channel.optional(),
    templateId: fields.templateId.optional(),
    category: fields.category.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { message: "give at least one field to change" });

/** GET /api/v1/date-automations/{id}/preview. */
export const dateAutomationPreviewQuery = z.strictObject({
  day: z
    .string()
    .default("tomorrow")
    .refine((value) => value === "tomorrow" || value === "today" || parseLocalDate(value) !== null, { message: "must be `today`, `tomorrow` or a date as YYYY-MM-DD" })
    .meta({ description: "`tomorrow` (the default) or `today` in the workspace's zone, or a date as YYYY-MM-DD: each contact is counted on that day in its own zone" }),
  sample: z.coerce.number().int().min(0).max(50).default(10).meta({ description: "How many recipients to list, 0–50" }),
});

export type DateAutomationCreate = z.infer<typeof dateAutomationCreateRequest>;
export type DateAutomationPatch = z.infer<typeof dateAutomationPatchRequest>;
