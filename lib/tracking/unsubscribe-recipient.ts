import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { unsubscribeContact } from "@/db/queries/contacts";
import { markMessageUnsubscribed } from "@/db/queries/tracking";
import { recordEngagement } from "@/lib/analytics/record-engagement";

/** How the request arrived: a mail client's RFC 8058 one-click POST, or our confirmation page. */
export type UnsubscribeVia = "one-click" | "page";

export type UnsubscribeOutcome =
  /** The message is gone (retention); there is nobody left to unsubscribe. */
  | { found: false }
  /** `changed` is false for a repeat: nothing was written. */
  | { found: true; changed: boolean };

/**
 * Unsubscribes the recipient of a message, for its unsubscribe link: the contact becomes
 * "unsubscribed", the message records when, and the audit log says who and how. Idempotent:
 * the writes are conditional, and a repeat writes nothing, not even an audit entry. A message
 * whose contact was erased (contact_id null) still succeeds; only the message is stamped.
 * The workspace comes from the message row, never from the request (invariant 5). The first use
 * of the link is appended to the engagement stream ("unsubscribed") in the same transaction.
 */
export async function unsubscribeRecipient(
  db: Db,
  params: { messageId: string; via: UnsubscribeVia; at?: Date },
): Promise<UnsubscribeOutcome> {
  const at = params.at ?? new Date();
  return db.transaction(async (tx) => {
    const marked = await markMessageUnsubscribed(tx, { messageId: params.messageId, at });
    if (!marked) return { found: false };
    const { message } = marked;
    const contact = message.contactId ? await unsubscribeContact(tx, { workspaceId: message.workspaceId, contactId: message.contactId, at }) : undefined;
    const changed = marked.first || contact !== undefined;
    if (changed) {
      await insertAuditEntry(tx, {
        workspaceId: message.workspaceId,
        actor: "recipient",
        action: "contact.unsubscribed",
        ...(message.contactId ? { targetType: "contact", targetId: message.contactId } : { targetType: "message", targetId: message.id }),
        // Same shape as the webhook unsubscribes (source + unsubscribedAt), so a later
        // re-subscribe rule for one source never undoes another's.
        details: { source: "unsubscribe_link", via: params.via, messageId: message.id, campaignId: message.campaignId, unsubscribedAt: (contact?.unsubscribedAt ?? at).toISOString() },
      });
    }
    if (marked.first) {
      // Keyed by the message: its link unsubscribes once, however often it is followed.
      await recordEngagement(tx, [{ messageId: message.id, type: "unsubscribed", source: "unsubscribe", occurredAt: at, dedupeKey: `unsubscribe-${message.id}` }]);
    }
    return { found: true, changed };
  });
}
