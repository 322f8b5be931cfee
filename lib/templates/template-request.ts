import { z } from "zod";
import { CHANNELS, subjectIssue } from "@/core/messages/channels";

/** POST /api/v1/templates. */
export const templateRequest = z
  .strictObject({
    channel: z.enum(CHANNELS),
    name: z.string().trim().min(1).max(200),
    subject: z.string().min(1).max(1_000).optional().meta({ description: "Liquid: the subject line of an email, the title of a push notification (both required), an in-app message's heading (optional); SMS and WhatsApp have none" }),
    body: z.string().min(1).max(100_000).meta({ description: "Liquid: HTML for email, text for the other channels" }),
  })
  .superRefine((value, ctx) => {
    const issue = subjectIssue(value.channel, value.subject);
    if (issue) ctx.addIssue({ code: "custom", path: ["subject"], message: issue });
  });
