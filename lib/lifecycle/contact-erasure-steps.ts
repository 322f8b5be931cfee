import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import {
  addressesOfContacts,
  anonymiseEngagementOfContacts,
  clearAttemptErrorsOfContacts,
  CONTACT_OWNED_TABLES,
  type ContactOwnedTable,
  type ContactSet,
  deleteContactRowsOf,
  deleteErasedContacts,
  deleteExportsOfContacts,
  deleteOutboxCopiesOfContacts,
  deleteRelationshipSummariesOfContacts,
  exportFilesOfContacts,
  redactAuditDetailsOfContacts,
  redactWebhookPayloadsOfContacts,
  scrubImportsOfContacts,
  scrubMailboxMessagesOfContacts,
  scrubMessagesOfContacts,
  scrubRelationshipsQuotingContacts,
} from "@/db/queries/personal-data";
import { suppress } from "@/db/queries/suppressions";
import { scrubContactFromArchives } from "@/lib/archives/scrub-contact-from-archives";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/** Who the audit log names for every step of an erasure's execution. */
export const ERASURE_ACTOR = "function:execute-erasure";

/** Why an erased contact's addresses are suppressed: no later import or send brings consent back. */
export const ERASED_SUPPRESSION_REASON = "erased";

/**
 * Writes the contacts' addresses to the suppression list (salted hashes, reason `erased`), email
 * on the email channel and the phone on SMS and WhatsApp. First of the steps, while the addresses
 * are still on the contacts; idempotent (a suppressed address stays with its first reason).
 */
async function suppressAddresses(db: Db, set: ContactSet): Promise<number> {
  let written = 0;
  for (const { email, phone } of await addressesOfContacts(db, set)) {
    if (email && (await suppress(db, { workspaceId: set.workspaceId, channel: "email", address: email, reason: ERASED_SUPPRESSION_REASON }))) written++;
    for (const channel of ["sms", "whatsapp"] as const) {
      if (phone && (await suppress(db, { workspaceId: set.workspaceId, channel, address: phone, reason: ERASED_SUPPRESSION_REASON }))) written++;
    }
  }
  return written;
}

/**
 * Every campaign archive that holds the contacts' rows is rewritten without them
 * (lib/archives/scrub-contact-from-archives.ts). An archive being written or restored at this
 * moment cannot be scrubbed yet: the step throws, and its retry comes back to it.
 */
async function eraseArchives(db: Db, set: ContactSet): Promise<number> {
  const storage = createFileStorage();
  let rows = 0;
  for (const contactId of set.contactIds) {
    const scrubbed = await scrubContactFromArchives(db, storage, { workspaceId: set.workspaceId, contactId });
    if (scrubbed.busy.length > 0) throw new Error(`archives ${scrubbed.busy.join(", ")} are being written or restored; the erasure retries them`);
    rows += Object.values(scrubbed.rows).reduce((sum, n) => sum + n, 0);
  }
  return rows;
}

/** The exports' files first (a missing file is fine: delete is idempotent), then their rows. */
async function eraseExports(db: Db, set: ContactSet): Promise<number> {
  const storage = createFileStorage();
  for (const key of await exportFilesOfContacts(db, set)) await storage.delete(key);
  return deleteExportsOfContacts(db, set);
}

export type ContactErasureStep = { id: string; table: string; run: (db: Db, set: ContactSet) => Promise<number> };

/**
 * The execution of a contact erasure, one step per table, in an order that keeps every step
 * able to find its rows: what is found through the contacts' messages before the messages are
 * scrubbed, everything before the contacts' rows go (last). Each step is one idempotent
 * statement (or a few), so a crash anywhere resumes at that step and no contact is left
 * half-erased. Archives (campaign_archives' files, found through archive_contacts) are
 * rewritten without the contacts' rows before the index that finds them goes with the contacts.
 */
export const CONTACT_ERASURE_STEPS: readonly ContactErasureStep[] = [
  { id: "suppress-addresses", table: "suppressions", run: suppressAddresses },
  { id: "erase-outbox-messages", table: "outbox_messages", run: deleteOutboxCopiesOfContacts },
  { id: "erase-message-attempts", table: "message_attempts", run: clearAttemptErrorsOfContacts },
  { id: "erase-engagement-events", table: "engagement_events", run: anonymiseEngagementOfContacts },
  { id: "erase-webhook-events", table: "webhook_events", run: redactWebhookPayloadsOfContacts },
  { id: "erase-messages", table: "messages", run: scrubMessagesOfContacts },
  { id: "erase-mailbox-messages", table: "mailbox_messages", run: scrubMailboxMessagesOfContacts },
  { id: "erase-relationship-summaries", table: "ai_recommendations", run: deleteRelationshipSummariesOfContacts },
  { id: "erase-relationship-quotes", table: "contact_relationships", run: scrubRelationshipsQuotingContacts },
  { id: "erase-imports", table: "imports", run: scrubImportsOfContacts },
  { id: "erase-exports", table: "data_exports", run: eraseExports },
  { id: "erase-archives", table: "campaign_archives", run: eraseArchives },
  ...(Object.keys(CONTACT_OWNED_TABLES) as ContactOwnedTable[]).map((table) => ({
    id: `erase-${table.replace(/_/g, "-")}`,
    table,
    run: (db: Db, set: ContactSet) => deleteContactRowsOf(db, table, set),
  })),
  { id: "erase-audit-details", table: "audit_log", run: redactAuditDetailsOfContacts },
];

/** The last step: the contacts' rows. */
export const DELETE_CONTACTS_STEP: ContactErasureStep = { id: "delete-contacts", table: "contacts", run: deleteErasedContacts };

/** Runs one step and audits it (ids and a count, never an address). */
export async function runErasureStep(db: Db, step: ContactErasureStep, params: ContactSet & { erasureId: string }): Promise<number> {
  const count = await step.run(db, params);
  await insertAuditEntry(db, {
    workspaceId: params.workspaceId,
    actor: ERASURE_ACTOR,
    action: "erasure.step",
    targetType: "erasure",
    targetId: params.erasureId,
    details: { step: step.id, table: step.table, count, contactIds: params.contactIds },
  });
  return count;
}
