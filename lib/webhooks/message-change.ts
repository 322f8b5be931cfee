import type { BounceKind } from "@/core/analytics/engagement";
import type { ProviderMessageStatus } from "@/lib/providers/provider-message-status";

/**
 * What one provider report means for a message, in provider-neutral terms, so email and SMS
 * webhooks and the refresh cron all change messages the same way (applyMessageChange).
 */
export type MessageChange =
  | {
      kind: "status";
      to: ProviderMessageStatus;
      error?: string;
      /** Add the recipient's address to the workspace's suppression list, with this reason. */
      suppress?: string;
      /** Unsubscribe the message's contact (a spam complaint). */
      unsubscribe?: boolean;
      /** A bounce's kind as the provider reports it: hard (the address is dead) or soft (this message only). */
      bounceKind?: BounceKind;
    }
  | { kind: "engagement"; engagement: "open" | "click"; url?: string | null }
  | { kind: "none"; reason: string };

/** The webhook's payload is not what the provider documents: no retry can fix it. */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
}

export const SUPPRESSION_REASONS = {
  hardBounce: "hard_bounce",
  complaint: "complaint",
  providerSuppressed: "provider_suppressed",
  smsStop: "sms_stop",
  smsUnreachable: "sms_unreachable",
} as const;
