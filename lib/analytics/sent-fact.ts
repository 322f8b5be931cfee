import { statusFactKey } from "@/lib/webhooks/change-fact";
import type { EngagementFact } from "./record-engagement";

/**
 * The stream's "sent" fact for a message the provider accepted, appended in the transaction that
 * records the message as sent. Its key is the one a provider's own "sent" report uses
 * (change-fact.ts), so the send and Resend's email.sent count once between them.
 */
export function sentFact(messageId: string, occurredAt: Date = new Date()): EngagementFact {
  return {
    messageId,
    type: "sent",
    source: "send",
    occurredAt,
    dedupeKey: statusFactKey("sent", messageId),
    applied: { firstOpen: false, firstClick: false },
  };
}
