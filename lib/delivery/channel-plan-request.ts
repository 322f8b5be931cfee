import { z } from "zod";
import { CHANNELS, subjectIssue } from "@/core/messages/channels";
import { notificationRequest } from "@/lib/notifications/notification-request";
import { categoryKey } from "@/lib/preferences/category-request";

/** A plan longer than this is a campaign, not a notification. */
export const PLAN_MAX_STEPS = 5;
/** The longest a step may wait for engagement: a week. */
export const PLAN_MAX_WAIT_SECONDS = 7 * 86_400;

const step = z
  .strictObject({
    channel: z.enum(CHANNELS),
    templateId: z.uuid().optional().meta({ description: "A stored template of the step's channel; or give `subject`/`body`" }),
    subject: z.string().min(1).max(1_000).optional().meta({ description: "Without `templateId`: Liquid; required for email and push, optional for in-app" }),
    body: z.string().min(1).max(100_000).optional().meta({ description: "Without `templateId`: Liquid" }),
    waitSeconds: z
      .number()
      .int()
      .min(1)
      .max(PLAN_MAX_WAIT_SECONDS)
      .default(3_600)
      .meta({ description: "How long the contact has to engage (see an in-app message, open or click an email) before the next step; ignored on the last step" }),
  })
  .superRefine((value, ctx) => {
    if (value.templateId) {
      if (value.subject || value.body) ctx.addIssue({ code: "custom", path: ["templateId"], message: "give either `templateId` or `subject`/`body`, not both" });
      return;
    }
    if (!value.body) ctx.addIssue({ code: "custom", path: ["body"], message: "required when no `templateId` is given" });
    const issue = subjectIssue(value.channel, value.subject);
    if (issue) ctx.addIssue({ code: "custom", path: ["subject"], message: issue });
  });

/** POST /api/v1/channel-plans: one notification to a contact, tried channel after channel. */
export const channelPlanRequest = z.strictObject({
  messageId: notificationRequest.shape.messageId,
  contactId: z.uuid().meta({ description: "The contact the plan reaches; each step goes to its address, number, devices or inbox" }),
  category: categoryKey.optional().meta({ description: "A notification category's key: opt-outs, quiet hours and caps of that category apply to every step" }),
  data: notificationRequest.shape.data,
  steps: z.array(step).min(1).max(PLAN_MAX_STEPS).meta({ description: "Tried in order: the next step is sent only when the contact did not engage with the previous one in time, or could not get it" }),
});

export type ChannelPlanRequest = z.infer<typeof channelPlanRequest>;
