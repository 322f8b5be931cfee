import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";

export type InAppMessage = {
  workspaceId: string;
  messageId: string;
  /** In-app messages go to a contact's inbox, never to an address. */
  contactId: string;
  category?: string | null;
  /** The rendered heading; null when the template has none. */
  title: string | null;
  body: string;
  /** Where the customer's frontend takes the contact when the message is clicked (http/https only). */
  actionUrl: string | null;
  /** The notification's data, handed to the customer's frontend with the message. */
  data: Record<string, unknown>;
};

export type InAppSendResult = {
  providerMessageId: string;
  /** True when the send itself put the message where the contact sees it: the message is delivered, not only sent. */
  delivered: boolean;
};

export interface InAppProvider {
  /** "inbox" */
  readonly name: string;
  /** Stores the message in the contact's inbox at most once per idempotency key. Throws ProviderError. */
  send(message: InAppMessage, options: { idempotencyKey: string }): Promise<InAppSendResult>;
  /** The provider's latest word on a message: delivered, opened once seen; null when it does not know the id. */
  getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null>;
}
