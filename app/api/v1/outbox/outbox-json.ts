import type { OutboxMessage } from "@/db/queries/outbox-messages";

/** The public shape of an outbox entry: everything a provider would have received. */
export function outboxJson(row: OutboxMessage) {
  return {
    id: row.id,
    messageId: row.messageId,
    campaignId: row.campaignId,
    channel: row.channel,
    from: row.from,
    to: row.to,
    replyTo: row.replyTo,
    subject: row.subject,
    headers: row.headers,
    html: row.html,
    text: row.text,
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt.toISOString(),
  };
}
