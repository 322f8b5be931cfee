import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { recordWhatsAppInbound, recordWhatsAppOptIn, withdrawWhatsAppOptInByPhone } from "@/db/queries/whatsapp-contacts";
import type { SmsKeyword } from "./sms-keyword";

/** Marks opt-in changes made by a WhatsApp keyword. */
export const WHATSAPP_KEYWORD_SOURCE = "whatsapp_keyword";

export type WhatsAppInboundOutcome = { contacts: number; optedOut: number; optedIn: number };

/**
 * A contact's message to the business number: it opens (or extends) the 24-hour window for that
 * number's contact in every workspace (the number is the deployment's). A STOP-like message
 * also withdraws the WhatsApp opt-in, as Meta asks businesses to honour; START records a new
 * opt-in given by the contact itself. Safe to repeat: the window only moves forward, a
 * withdrawal of a withdrawn opt-in changes nothing, a repeated opt-in keeps the first.
 */
export async function applyWhatsAppInbound(
  db: Db,
  params: { phone: string; at: Date; keyword: SmsKeyword | null; providerMessageId: string; actor: string },
): Promise<WhatsAppInboundOutcome> {
  const { phone, at, keyword, providerMessageId, actor } = params;
  return db.transaction(async (tx) => {
    const senders = await recordWhatsAppInbound(tx, { phone, at });
    if (!keyword) return { contacts: senders.length, optedOut: 0, optedIn: 0 };
    const details = { source: WHATSAPP_KEYWORD_SOURCE, keyword: keyword.word, providerMessageId };
    if (keyword.kind === "opt-out") {
      const withdrawn = await withdrawWhatsAppOptInByPhone(tx, { phone, source: WHATSAPP_KEYWORD_SOURCE, at });
      for (const contact of withdrawn) {
        await insertAuditEntry(tx, { workspaceId: contact.workspaceId, actor, action: "whatsapp.opted_out", targetType: "contact", targetId: contact.contactId, details });
      }
      return { contacts: senders.length, optedOut: withdrawn.length, optedIn: 0 };
    }
    for (const contact of senders) {
      await recordWhatsAppOptIn(tx, { ...contact, source: WHATSAPP_KEYWORD_SOURCE, at });
      await insertAuditEntry(tx, { workspaceId: contact.workspaceId, actor, action: "whatsapp.opted_in", targetType: "contact", targetId: contact.contactId, details });
    }
    return { contacts: senders.length, optedOut: 0, optedIn: senders.length };
  });
}
