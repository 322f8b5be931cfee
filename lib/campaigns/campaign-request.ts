import { z } from "zod";
import { emailSenderIssue } from "@/core/contacts/email-sender-issue";
import { E164 } from "@/lib/notifications/notification-request";
import { categoryKey } from "@/lib/preferences/category-request";
import { LOCAL_SEND_TIME, LOCAL_SEND_TIME_RULE } from "@/core/campaigns/local-send-time";
import { AB_MAX_VARIANTS, AB_METRICS, AB_MIN_VARIANTS } from "@/core/ab-tests/ab-test";
import { AB_MAX_SEND_DELAY_MINUTES } from "@/core/campaigns/ab-test";
import { CONTACT_EVENT_NAME, CONTACT_EVENT_NAME_RULE } from "@/core/events/contact-event-names";

/** The longest test window: a winner picked a month after the sample is no longer news. */
export const AB_MAX_WINDOW_MINUTES = 30 * 24 * 60;
/** At most half the audience in the test: the point is to send the rest the winner. */
export const AB_MAX_TEST_PERCENT = 50;

export const CAMPAIGN_NAME_MAX_LENGTH = 200;
/** How far ahead a campaign can be scheduled. */
export const MAX_SCHEDULE_AHEAD_DAYS = 366;

// Alphanumeric sender ids: up to 11 letters, digits and spaces, with at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
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

const abVariant = z
  .strictObject({
    subject: z.string().trim().min(1).max(998).optional().meta({ description: "Email only: the subject instead of the template's (template variables work as in the template)" }),
    templateId: z.uuid("must be a template id").optional().meta({ description: "Another template of the campaign's channel: the content instead of the campaign's" }),
    from: z.string().trim().min(1).max(320).optional().meta({ description: "The sender instead of the campaign's `from` (same rules)" }),
    sendDelayMinutes: z
      .number()
      .int()
      .min(0)
      .max(AB_MAX_SEND_DELAY_MINUTES)
      .optional()
      .meta({
        description:
          "The send time: this variant's sample goes out this many minutes after sending starts (0: at once). A test with send times picks the winner the window after the last variant went out, and the rest of the audience gets the winner at its time of day (in the workspace's time zone), the next time it comes round",
        example: 240,
      }),
  })
  .meta({ id: "CampaignAbVariant", description: "What the variant changes; anything left out is the campaign's own" });

/** A campaign's A/B test (campaigns.ab_test, core/campaigns/ab-test.ts). */
export const abTestRequest = z
  .strictObject({
    variants: z.array(abVariant).min(AB_MIN_VARIANTS).max(AB_MAX_VARIANTS).meta({ description: `${AB_MIN_VARIANTS}–${AB_MAX_VARIANTS} variants, labelled A, B, … in this order` }),
    testPercent: z
      .number()
      .int()
      .min(1)
      .max(AB_MAX_TEST_PERCENT)
      .meta({ description: "The share of the audience (percent) the test goes to, split evenly and at random among the variants (the same recipients on every retry); the rest get the winner", example: 20 }),
    windowMinutes: z.number().int().min(1).max(AB_MAX_WINDOW_MINUTES).meta({ description: "How long after the test sample goes out the winner is picked", example: 240 }),
    metric: z.enum(AB_METRICS).meta({ description: "opens: human opens (machine opens are not counted); clicks: human clicks; goal: contacts with a `goalEvent` event (POST /api/v1/events) after the test started" }),
    goalEvent: z.string().regex(CONTACT_EVENT_NAME, `must be ${CONTACT_EVENT_NAME_RULE}`).optional().meta({ description: "metric goal: the event name that counts as a conversion", example: "purchase" }),
  })
  .superRefine((value, ctx) => {
    if (value.metric === "goal" && !value.goalEvent) ctx.addIssue({ code: "custom", path: ["goalEvent"], message: "is required when the metric is goal" });
    if (value.metric !== "goal" && value.goalEvent) ctx.addIssue({ code: "custom", path: ["goalEvent"], message: "is for the goal metric only" });
    value.variants.forEach((variant, index) => {
      if (variant.subject === undefined && variant.templateId === undefined && variant.from === undefined && variant.sendDelayMinutes === undefined) {
        ctx.addIssue({ code: "custom", path: ["variants", index], message: "must change the subject, the template, the sender or the send time" });
      }
    });
  })
  .meta({ id: "CampaignAbTest" });

function senderIssue(channel: "email" | "sms", value: string): string | null {
  if (channel === "email") return emailSenderIssue(value);
  return E164.test(value) || ALPHANUMERIC_SENDER.test(value) ? null : "must be an E.164 number or an alphanumeric sender id (up to 11 characters)";
}

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
    abTest: abTestRequest.optional().meta({ description: "An A/B test: the variants go to a sample of the audience, and the winner to the rest once the window ends" }),
  })
  .superRefine((value, ctx) => {
    if (value.abTest) {
      if (value.localSendTime !== undefined) ctx.addIssue({ code: "custom", path: ["abTest"], message: "cannot be combined with localSendTime" });
      if (value.channel === "sms" && value.abTest.metric === "opens") ctx.addIssue({ code: "custom", path: ["abTest", "metric"], message: "opens are tracked for email only" });
      value.abTest.variants.forEach((variant, index) => {
        if (value.channel === "sms" && variant.subject !== undefined) ctx.addIssue({ code: "custom", path: ["abTest", "variants", index, "subject"], message: "is for email campaigns only" });
        const issue = variant.from === undefined ? null : senderIssue(value.channel, variant.from);
        if (issue) ctx.addIssue({ code: "custom", path: ["abTest", "variants", index, "from"], message: issue });
      });
    }
    if (value.channel === "email") {
      for (const field of ["from", "replyTo"] as const) {
        const issue = value[field] === undefined ? null : emailSenderIssue(value[field]);
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
