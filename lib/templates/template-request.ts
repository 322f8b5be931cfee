import { z } from "zod";

/** POST /api/v1/templates. */
export const templateRequest = z
  .strictObject({
    channel: z.enum(["email", "sms"]),
    name: z.string().trim().min(1).max(200),
    subject: z.string().min(1).max(1_000).optional().meta({ description: "Email only (and required there): Liquid" }),
    body: z.string().min(1).max(100_000).meta({ description: "Liquid: HTML for email, text for SMS" }),
  })
  .superRefine((value, ctx) => {
    if (value.channel === "email" && !value.subject) ctx.addIssue({ code: "custom", path: ["subject"], message: "required for email" });
    if (value.channel === "sms" && value.subject) ctx.addIssue({ code: "custom", path: ["subject"], message: "SMS has no subject" });
  });
