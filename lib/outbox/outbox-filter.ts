import { z } from "zod";

/** The outbox filters, as `GET /api/v1/outbox` and the Outbox page both accept them. */
export const outboxFilterFields = {
  messageId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "The message's id (a UUID) or the caller's own `messageId` given to POST /api/v1/notifications" }),
  campaignId: z.uuid().optional().meta({ description: "Messages of this campaign" }),
  to: z.string().trim().min(1).max(320).optional().meta({ description: "The recipient's address or number" }),
};

export const outboxFilter = z.object(outboxFilterFields);
export type OutboxFilterInput = z.infer<typeof outboxFilter>;
