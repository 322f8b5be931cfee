import { z } from "zod";
import { normalizeEmail } from "@/core/contacts/normalize-email";
import { E164 } from "@/lib/notifications/notification-request";
import { categoryKey } from "@/lib/preferences/category-request";
import { LOCAL_SEND_TIME, LOCAL_SEND_TIME_RULE } from "@/core/campaigns/local-send-time";

export const CAMPAIGN_NAME_MAX_LENGTH = 200;
/** How far ahead a campaign can be scheduled. */
export const MAX_SCHEDULE_AHEAD_DAYS = 366;

// Alphanumeric sender ids: up to 11 letters, digits and spaces, with at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
// "Name <address>" or a bare address.
const NAMED_ADDRESS = /^\s*(?:"?([^"<>]*)"?\s*)?<([^<>]+)>\s*$/;

/** Checks an email From/Reply-To: a bare address or `Name <address>`. */
function emailAddressIssue(value: string): string | null {
  const match = NAMED_ADDRESS.exec(value);
  const address = match ? match[2]! : value;
  const result = normalizeEmail(address);
  return result.ok ? null : `address ${result.reason}`;
}

export const sendAt = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z" })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), "must be in the future")
  .refine((date) => date.getTime() < Date.now() + MAX_SCHEDULE_AHEAD_DAYS * 86_400_000, `must be within ${MAX_SCHEDULE_AHEAD_DAYS} days`);

/** "HH:MM": deliver at this local time in each recipient's time zone (campaigns.local_send_time). */
export const localSendTime = z
  .string()
  .regex(LOCAL_SEND_TIME, `must be ${LOCAL_SEND_TIME_RULE}`)
  .meta({
    description:
      "Deliver at this time (HH:MM, 24-hour) in each recipient's time zone — the contact's `timezone`, else the workspace's delivery-settings zone — on the local date of `sendAt` there (the next day where that time has already passed); sent zone by zone. Omitted: everyone at `sendAt`",
    example: "09:00",
  });

const audience = z.union([z.strictObject({ listId: z.uuid("must be a list id") }), z.strictObject({ segmentId: z.uuid("must be a segment id") })], {
  error: "must be {listId} or {segmentId}",
});

export const campaignCreateRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(CAMPAIGN_NAME_MAX_LENGTH),
    channel: z.enum(["email", "sms"]),
    templateId: z.uuid("must be a template id").meta({ description: "A stored template of the same channel" }),
    audience: audience.meta({ description: "A list or a segment of the workspace" }),
    from: z
      .string()
      .trim()
      .min(1)
      .max(320)
      .optional()
      .meta({ description: "Email: an address or `Name <address>`; SMS: an E.164 number or an alphanumeric sender id (up to 11 characters)" }),
    replyTo: z.string().trim().min(1).max(320).optional().meta({ description: "Email only: an address or `Name <address>`" }),
    category: categoryKey.optional().meta({ description: "A category of the workspace: recipients who opted out of it on the campaign's channel are skipped at send time (suppressed)" }),
    sendAt: sendAt.optional().meta({ description: `Schedule it: an ISO 8601 date-time with a time zone, in the future and within ${MAX_SCHEDULE_AHEAD_DAYS} days` }),
    localSendTime: localSendTime.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.channel === "email") {
      for (const field of ["from", "replyTo"] as const) {
        const issue = value[field] === undefined ? null : emailAddressIssue(value[field]);
        if (issue) ctx.addIssue({ code: "custom", path: [field], message: issue });
      }
    } else {
      if (value.replyTo !== undefined) ctx.addIssue({ code: "custom", path: ["replyTo"], message: "is for email campaigns only" });
      if (value.from !== undefined && !E164.test(value.from) && !ALPHANUMERIC_SENDER.test(value.from)) {
        ctx.addIssue({ code: "custom", path: ["from"], message: "must be an E.164 number or an alphanumeric sender id (up to 11 characters)" });
      }
    }
  });

export const campaignScheduleRequest = z.strictObject({
  sendAt,
  localSendTime: localSendTime.nullable().optional().meta({ description: "As when creating; `null` clears it (everyone at `sendAt`); omitted keeps the campaign's" }),
});
