import { z } from "zod";

/** The outbox filters, as `GET /api/v1/outbox` and the Outbox page both accept them. */
export const outboxFilterFields = {
  /** The message's id (a UUID) or the caller's own `messageId` given to POST /api/v1/notifications. */
  messageId: z.string().trim().min(1).max(200).optional(),
  campaignId: z.uuid().optional(),
  to: z.string().trim().min(1).max(320).optional(),
};

export const outboxFilter = z.object(outboxFilterFields);
export type OutboxFilterInput = z.infer<typeof outboxFilter>;
