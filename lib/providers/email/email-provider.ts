import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";

/** A fully rendered email, as a provider receives it. */
export type EmailMessage = {
  workspaceId: string;
  /** Sendline's messages.id, echoed back in webhooks as a tag/header. */
  messageId: string;
  campaignId?: string | null;
  from: string;
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
};

/** `provider` names who took the message (a failover list may hand it to its second provider). */
export type EmailSendResult = { providerMessageId: string; provider: string };

/** Per-recipient outcome of a batch call: one entry per input message, same order. */
export type EmailBatchResult = { ok: true; providerMessageId: string; provider: string } | { ok: false; error: string };

export interface EmailProvider {
  /**
   * "outbox" | "resend" | "smtp", or the list's names joined by "," for a failover list; what is
   * stored on each message (so webhooks and refreshes find it) is the result's `provider`.
   */
  readonly name: string;
  /** Throws ProviderError. The same idempotency key never sends twice (within the provider's window). */
  send(message: EmailMessage, options: { idempotencyKey: string }): Promise<EmailSendResult>;
  /**
   * Up to 100 messages in one call. Throws ProviderError for whole-call failures; a message the
   * provider rejects on its own (validation) comes back as `{ ok: false }` in its slot.
   */
  sendBatch(messages: EmailMessage[], options: { idempotencyKey: string }): Promise<EmailBatchResult[]>;
  /** The provider's latest word on a sent message; null when it does not know the id. Throws ProviderError. */
  getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null>;
}
