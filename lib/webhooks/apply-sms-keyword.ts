import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { resubscribeContactsUnsubscribedBy, unsubscribeContacts } from "@/db/queries/contacts";
import { listSmsSenderWorkspaces } from "@/db/queries/messages";
import { suppress, suppressionSalt, unsuppress } from "@/db/queries/suppressions";
import { saltedAddressHash } from "@/core/messages/address-hash";
import { SUPPRESSION_REASONS } from "./message-change";
import type { SmsKeyword } from "./sms-keyword";

/** Marks unsubscribes made by an SMS keyword in the audit log; START undoes only those. */
export const SMS_KEYWORD_SOURCE = "sms_keyword";

export type SmsKeywordOutcome = { workspaces: number; unsubscribed: number; resubscribed: number };

/**
 * An inbound STOP (or START) from `phone` applies in every workspace that has sent an SMS to
 * that number: Twilio's own block is per sending number, which workspaces share, so all of them
 * must stop too. STOP unsubscribes the contacts with that phone and suppresses the number for
 * SMS (so transactional SMS without a contact are refused at send time as well). START lifts
 * only what a keyword did: the `sms_stop` suppression, and contacts whose current unsubscribe
 * is the one a keyword made; an unsubscribe by link, API or complaint stands.
 */
export async function applySmsKeyword(
  db: Db,
  params: { phone: string; keyword: SmsKeyword; messageSid: string; at: Date; actor: string },
): Promise<SmsKeywordOutcome> {
  const { phone, keyword, messageSid, at, actor } = params;
  const workspaceIds = await listSmsSenderWorkspaces(db, { phone });
  const details = { source: SMS_KEYWORD_SOURCE, keyword: keyword.word, messageSid };
  // Audited under the workspace's salted hash: a plain SHA-256 of a phone number is reversible.
  const suppressionTarget = async (tx: Db, workspaceId: string) => ({
    targetType: "suppression",
    targetId: saltedAddressHash("sms", phone, await suppressionSalt(tx, { workspaceId })),
  });

  return db.transaction(async (tx) => {
    if (keyword.kind === "opt-out") {
      const contacts = await unsubscribeContacts(tx, { workspaceIds, phone, at });
      for (const contact of contacts) {
        await insertAuditEntry(tx, {
          workspaceId: contact.workspaceId,
          actor,
          action: "contact.unsubscribed",
          targetType: "contact",
          targetId: contact.id,
          details: { ...details, unsubscribedAt: contact.unsubscribedAt.toISOString() },
        });
      }
      for (const workspaceId of workspaceIds) {
        await suppress(tx, { workspaceId, channel: "sms", address: phone, reason: SUPPRESSION_REASONS.smsStop });
        await insertAuditEntry(tx, { workspaceId, actor, action: "sms.opted_out", ...(await suppressionTarget(tx, workspaceId)), details });
      }
      return { workspaces: workspaceIds.length, unsubscribed: contacts.length, resubscribed: 0 };
    }

    const contacts = await resubscribeContactsUnsubscribedBy(tx, { workspaceIds, phone, source: SMS_KEYWORD_SOURCE });
    for (const contact of contacts) {
      await insertAuditEntry(tx, { workspaceId: contact.workspaceId, actor, action: "contact.resubscribed", targetType: "contact", targetId: contact.id, details });
    }
    for (const workspaceId of workspaceIds) {
      await unsuppress(tx, { workspaceId, channel: "sms", address: phone, reason: SUPPRESSION_REASONS.smsStop });
      await insertAuditEntry(tx, { workspaceId, actor, action: "sms.opted_in", ...(await suppressionTarget(tx, workspaceId)), details });
    }
    return { workspaces: workspaceIds.length, unsubscribed: 0, resubscribed: contacts.length };
  });
}
