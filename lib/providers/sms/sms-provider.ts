import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";

export type SmsMessage = {
  workspaceId: string;
  messageId: string;
  campaignId?: string | null;
  /** E.164; defaults to the provider's configured sender. */
  from?: string | null;
  to: string;
  body: string;
};

export type SmsSendResult = { providerMessageId: string; segments: number };

export interface SmsProvider {
  /** "outbox" | "twilio" */
  readonly name: string;
  /**
   * Throws ProviderError. The outbox never stores a key twice. Twilio's Messages API has no
   * idempotency key, so for Twilio at-most-once rests on the caller's `messages` row claimed
   * before the call (invariant 1); the key still travels as an `Idempotency-Key` header,
   * which Twilio ignores and the loopback fake uses to count duplicates.
   */
  send(message: SmsMessage, options: { idempotencyKey: string }): Promise<SmsSendResult>;
  /** The provider's latest word on a sent message; null when it does not know the id. Throws ProviderError. */
  getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null>;
}
