import { z } from "zod";

/** The outbox filters, as `GET /api/v1/outbox` and the Outbox page both accept them. */
export const outboxFilterFields = {
  messageId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  to: z.string().trim().min(1).max(320).optional(),
};

export const outboxFilter = z.object(outboxFilterFields);
export type OutboxFilterInput = z.infer<typeof outboxFilter>;
