import { z } from "zod";

/** PATCH /api/v1/templates/{id}: the fields to change (the channel stays), and optionally the version they were made on. */
export const templateUpdateRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    subject: z.string().min(1).max(1_000).nullable().optional().meta({ description: "Liquid; null removes it (only where the channel allows none)" }),
    body: z.string().min(1).max(100_000).optional().meta({ description: "Liquid: HTML for email, text for the other channels" }),
    version: z.int().min(1).optional().meta({ description: "The version this change was made on: when the template has moved past it, the answer is 409 and nothing changes" }),
  })
  .refine((value) => value.name !== undefined || value.subject !== undefined || value.body !== undefined, { message: "must change at least one of name, subject and body" });

export type TemplateUpdateRequest = z.infer<typeof templateUpdateRequest>;
