import type { EngagementSource, EngagementType } from "@/core/analytics/engagement";
import type { Message } from "@/db/queries/messages";
import type { EngagementFact } from "@/lib/analytics/record-engagement";
import type { MessageChange } from "./message-change";

/** Statuses the engagement stream records; failed and suppressed are send outcomes, not engagement. */
const STATUS_FACTS: Partial<Record<string, EngagementType>> = { sent: "sent", delivered: "delivered", bounced: "bounced", complained: "complained" };

/**
 * Where a provider's report comes from, in the stream's words: the provider that sent the message,
 * or for the local outbox (which stands in for them) the channel's production provider.
 */
export function providerSource(provider: string | null | undefined, channel: Message["channel"]): EngagementSource {
  if (provider === "resend" || provider === "twilio") return provider;
  if (provider === "meta") return "whatsapp";
  const byChannel: Record<Message["channel"], EngagementSource> = { email: "resend", sms: "twilio", whatsapp: "whatsapp", push: "push", in_app: "inbox" };
  return byChannel[channel];
}

/**
 * A status fact's key is the message and the status, whoever reports it: the send step and
 * Resend's email.sent both say "sent", Twilio reports "sent" then "delivered" under their own
 * ids, a webhook is redelivered under a new id — each still counts once per message.
 */
export const statusFactKey = (type: EngagementType, messageId: string) => `${type}:${messageId}`;

/**
 * The engagement fact one provider report makes, or null when it makes none. An open or click
 * is one happening (keyed by the report's delivery id) that recordEngagement applies to the
 * message itself, in the transaction that appends it, so a redelivered or replayed report
 * counts nowhere twice. A campaign email's opens and clicks are Sendline's own pixel and links
 * (lib/tracking): the provider's tracking of that same email would count each one twice.
 */
export function changeFact(
  message: Pick<Message, "id" | "campaignId" | "channel">,
  change: MessageChange,
  report: { source: EngagementSource; deliveryId: string | null; at: Date },
): EngagementFact | null {
  if (change.kind === "engagement") {
    if (!report.deliveryId || tracksItself(message)) return null;
    return {
      messageId: message.id,
      type: change.engagement === "open" ? "opened" : "clicked",
      source: report.source,
      occurredAt: report.at,
      dedupeKey: `${report.source}:${report.deliveryId}`,
      url: change.engagement === "click" ? (change.url ?? null) : null,
    };
  }
  if (change.kind !== "status") return null;
  const type = STATUS_FACTS[change.to];
  if (!type) return null;
  return {
    messageId: message.id,
    type,
    source: report.source,
    occurredAt: report.at,
    dedupeKey: statusFactKey(type, message.id),
    bounceKind: type === "bounced" ? (change.bounceKind ?? (change.suppress ? "hard" : "soft")) : null,
    // The status (if forward) was moved by applyMessageChange; no open or click to apply.
    applied: { firstOpen: false, firstClick: false },
  };
}

/** A campaign email carries Sendline's pixel and tracked links, which count its opens and clicks. */
export function tracksItself(message: Pick<Message, "campaignId" | "channel">): boolean {
  return message.campaignId !== null && message.channel === "email";
}
