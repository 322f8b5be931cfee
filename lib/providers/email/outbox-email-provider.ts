import type { Db } from "@/db";
import { getOutboxMessage, insertOutboxMessage, type OutboxMessage } from "@/db/queries/outbox-messages";
import { fromOutboxProviderId, idempotencyConflict, toOutboxProviderId } from "@/lib/providers/outbox-provider-id";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import type { EmailBatchResult, EmailMessage, EmailProvider, EmailSendResult } from "./email-provider";

/**
 * The local default: "sending" stores the fully rendered message in `outbox_messages`, where
 * the dashboard and `GET /api/v1/outbox` show it. No account, no network.
 */
export class OutboxEmailProvider implements EmailProvider {
  readonly name = "outbox";

  constructor(private readonly db: Db) {}

  async send(message: EmailMessage, options: { idempotencyKey: string }): Promise<EmailSendResult> {
    const row = await storeEmail(this.db, message, options.idempotencyKey);
    return { providerMessageId: toOutboxProviderId(row.id), provider: this.name };
  }

  /**
   * Each message is stored under `${batchKey}:${messageId}` rather than its position, so a
   * retried part that was rebuilt in a different order still finds every message it already
   * stored. One transaction: a crash mid-batch stores none, never half.
   */
  async sendBatch(messages: EmailMessage[], options: { idempotencyKey: string }): Promise<EmailBatchResult[]> {
    if (messages.length === 0) return [];
    const rows = await this.db.transaction(async (tx) => {
      const stored: OutboxMessage[] = [];
      for (const message of messages) {
        stored.push(await storeEmail(tx, message, batchMessageKey(options.idempotencyKey, message)));
      }
      return stored;
    });
    return rows.map((row) => ({ ok: true, providerMessageId: toOutboxProviderId(row.id), provider: this.name }));
  }

  /** A stored message has reached its destination: the outbox is the mailbox. */
  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    const id = fromOutboxProviderId(ref.providerMessageId);
    if (!id) return null;
    const row = await getOutboxMessage(this.db, { workspaceId: ref.workspaceId, id });
    return row?.channel === "email" ? "delivered" : null;
  }
}

export function batchMessageKey(batchIdempotencyKey: string, message: Pick<EmailMessage, "messageId">): string {
  return `${batchIdempotencyKey}:${message.messageId}`;
}

async function storeEmail(db: Db, message: EmailMessage, idempotencyKey: string): Promise<OutboxMessage> {
  const { row, created } = await insertOutboxMessage(db, {
    workspaceId: message.workspaceId,
    idempotencyKey,
    messageId: message.messageId,
    campaignId: message.campaignId ?? null,
    channel: "email",
    from: message.from,
    to: message.to,
    replyTo: message.replyTo ?? null,
    subject: message.subject,
    headers: message.headers ?? {},
    html: message.html,
    text: message.text,
  });
  if (!created && (row.channel !== "email" || row.to !== message.to || row.messageId !== message.messageId)) {
    throw idempotencyConflict(idempotencyKey, "email");
  }
  return row;
}
