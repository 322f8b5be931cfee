/** What a WhatsApp message says: free text inside the 24-hour window, or an approved template with its body variables. */
export type WhatsAppContent =
  | { type: "text"; body: string }
  | { type: "template"; name: string; language: string; variables: string[] };

export type WhatsAppMessage = {
  workspaceId: string;
  messageId: string;
  /** E.164, without the `whatsapp:` prefix Twilio uses. */
  to: string;
  content: WhatsAppContent;
};

export type WhatsAppSendResult = { providerMessageId: string };

export interface WhatsAppProvider {
  /** "outbox" | "meta" | "twilio" */
  readonly name: string;
  /**
   * Throws ProviderError: permanent for what no retry fixes (an unknown template, a wrong
   * parameter count, a number not on WhatsApp), transient or rate-limited otherwise. Neither the
   * Cloud API nor Twilio takes an idempotency key; at-most-once rests on the `messages` row
   * claimed before the call (invariant 1). The key still travels as `Idempotency-Key`, which
   * the loopback fakes use to count duplicates.
   */
  send(message: WhatsAppMessage, options: { idempotencyKey: string }): Promise<WhatsAppSendResult>;
}
