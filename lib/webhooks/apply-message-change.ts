import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { unsubscribeContacts } from "@/db/queries/contacts";
import { advanceMessageStatus, type Message } from "@/db/queries/messages";
import { suppress } from "@/db/queries/suppressions";
import type { EngagementSource } from "@/core/analytics/engagement";
import type { MessageStatus } from "@/core/messages/status";
import type { EngagementFact } from "@/lib/analytics/record-engagement";
import { changeFact, providerSource } from "./change-fact";
import type { MessageChange } from "./message-change";

export type AppliedChange = {
  messageId: string;
  /** advanced: the status moved; unchanged: not a forward move (late or repeated news); counted: an open/click. */
  outcome: "advanced" | "unchanged" | "counted" | "ignored";
  status: MessageStatus;
  suppressed: boolean;
  unsubscribed: number;
  /**
   * What the report adds to the engagement stream: the caller hands it to recordEngagement (a
   * batch of them in one transaction). An open or click is applied to the message there, not
   * here, so it is counted exactly when it is appended.
   */
  fact: EngagementFact | null;
};

/**
 * Applies one provider report to its message in one transaction. Safe to repeat: the status
 * only moves forward (invariant 4), suppressions and unsubscribes are idempotent. Suppression and
 * unsubscribe happen even when the status cannot move (a complaint after a bounce still means
 * "never mail this person again"). The fact is made whether or not the status moved (a late
 * delivery still happened; a retried step must find it again), and its dedupe key counts it once.
 */
export async function applyMessageChange(
  db: Db,
  message: Message,
  change: MessageChange,
  options: {
    at: Date;
    /** Audit actor, e.g. "function:process-email-event". */
    actor: string;
    /** Recorded on a message the webhook found before the send step stored the provider's id. */
    providerRef?: { provider: string; providerMessageId: string };
    /** Where the report comes from; by default the message's provider. */
    source?: EngagementSource;
    /** The report's own id (a webhook's delivery id): an open or click is keyed by it; a poll has none. */
    deliveryId?: string | null;
  },
): Promise<AppliedChange> {
  const ids = { workspaceId: message.workspaceId, messageId: message.id };
  const source = options.source ?? providerSource(options.providerRef?.provider ?? message.provider, message.channel);
  const fact = changeFact(message, change, { source, deliveryId: options.deliveryId ?? null, at: options.at });
  const base = { messageId: message.id, status: message.status, suppressed: false, unsubscribed: 0, fact };
  if (change.kind === "none") return { ...base, outcome: "ignored" };
  if (change.kind === "engagement") return { ...base, outcome: fact ? "counted" : "ignored" };

  return db.transaction(async (tx) => {
    const set = {
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(!message.providerMessageId && options.providerRef ? options.providerRef : {}),
    };
    const advanced = await advanceMessageStatus(tx, { ...ids, to: change.to, at: options.at, set });
    const result: AppliedChange = { ...base, outcome: advanced ? "advanced" : "unchanged", status: advanced?.status ?? message.status };

    if (change.suppress) {
      await suppress(tx, { workspaceId: message.workspaceId, channel: message.channel, address: message.recipient, reason: change.suppress });
      result.suppressed = true;
    }
    if (change.unsubscribe) {
      const contacts = await unsubscribeContacts(tx, {
        workspaceIds: [message.workspaceId],
        contactId: message.contactId,
        email: message.channel === "email" ? message.recipient : null,
        phone: message.channel === "sms" ? message.recipient : null,
        at: options.at,
      });
      for (const contact of contacts) {
        await insertAuditEntry(tx, {
          workspaceId: contact.workspaceId,
          actor: options.actor,
          action: "contact.unsubscribed",
          targetType: "contact",
          targetId: contact.id,
          details: { source: `${message.channel}_${change.to}`, messageId: message.id, unsubscribedAt: contact.unsubscribedAt.toISOString() },
        });
      }
      result.unsubscribed = contacts.length;
    }
    return result;
  });
}
