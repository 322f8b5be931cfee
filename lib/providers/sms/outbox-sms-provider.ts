import type { Db } from "@/db";
import { getOutboxMessage, insertOutboxMessage } from "@/db/queries/outbox-messages";
import { fromOutboxProviderId, idempotencyConflict, toOutboxProviderId } from "@/lib/providers/outbox-provider-id";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import { countSegments } from "./count-segments";
import type { SmsMessage, SmsProvider, SmsSendResult } from "./sms-provider";

/** Shown as the sender when neither the message nor the environment names one. */
export const OUTBOX_DEFAULT_SMS_FROM = "Sendline";

/** The local default for SMS: the body is stored in `outbox_messages.text`, nothing leaves the machine. */
export class OutboxSmsProvider implements SmsProvider {
  readonly name = "outbox";

  constructor(
    private readonly db: Db,
    private readonly options: { from?: string } = {},
  ) {}

  async send(message: SmsMessage, options: { idempotencyKey: string }): Promise<SmsSendResult> {
    const { row, created } = await insertOutboxMessage(this.db, {
      workspaceId: message.workspaceId,
      idempotencyKey: options.idempotencyKey,
      messageId: message.messageId,
      campaignId: message.campaignId ?? null,
      channel: "sms",
      from: message.from ?? this.options.from ?? OUTBOX_DEFAULT_SMS_FROM,
      to: message.to,
      text: message.body,
    });
    if (!created && (row.channel !== "sms" || row.to !== message.to || row.messageId !== message.messageId)) {
      throw idempotencyConflict(options.idempotencyKey, "sms");
    }
    // Count what was stored: a replayed key reports the first send, as a provider would.
    return { providerMessageId: toOutboxProviderId(row.id), segments: countSegments(row.text ?? "").segments };
  }

  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    const id = fromOutboxProviderId(ref.providerMessageId);
    if (!id) return null;
    const row = await getOutboxMessage(this.db, { workspaceId: ref.workspaceId, id });
    return row?.channel === "sms" ? "delivered" : null;
  }
}
