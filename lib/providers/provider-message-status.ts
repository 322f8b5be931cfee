import type { MessageStatus } from "@/core/messages/status";

/**
 * What a provider last knew about a message, in Sendline's own status words so
 * `refresh-message-status` can feed it straight into the forward-only `canAdvance`.
 * "sent" means accepted by the provider with no outcome yet (queued, scheduled, delayed).
 */
export type ProviderMessageStatus = Extract<
  MessageStatus,
  "sent" | "delivered" | "opened" | "clicked" | "bounced" | "complained" | "failed" | "suppressed"
>;

/** Identifies a message to its provider; the workspace scopes the outbox lookup (invariant 5). */
export type ProviderMessageRef = {
  workspaceId: string;
  providerMessageId: string;
  /** Which of a channel's providers sent it (`messages.provider`), for a failover list to ask the right one. */
  provider?: string;
};
