import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import {
  aiRecommendations,
  auditLog,
  channelPlans,
  contactRelationships,
  contactEngagement,
  contactEnrichments,
  contactPreferences,
  contacts,
  contactSources,
  dataExports,
  digests,
  engagementEvents,
  importContacts,
  importErrors,
  inboxMessages,
  listMembers,
  mailboxConnections,
  mailboxMessages,
  messageAttempts,
  messages,
  outboxMessages,
  pushSubscriptions,
  webhookEvents,
  whatsappContacts,
} from "@/db/schema";
import { REDACTED_AUDIT_DETAILS } from "@/core/audit/audit-chain";
import { rowsOf } from "./rows-of";

/**
 * Erasure of contacts' personal data, one table per function (execute-erasure runs each as its
 * own step, so a crash resumes at the table it was on; retention's anonymisation uses the
 * message, outbox and inbox parts for contacts whose row stays). Every function is idempotent: it finds
 * what it rewrites by the contacts' ids and by their addresses, read from the contacts rows,
 * which are deleted last (deleteErasedContacts). Counts are rows removed or rewritten.
 *
 * Campaign rollups (campaign_stats_hourly, workspace_stats_daily, link and domain stats) and
 * seals hold aggregates only and are left alone, so sealed campaign metrics stay verifiable;
 * campaign_recipients keeps each recipient's outcome under an id that no longer names anyone.
 */
export type ContactSet = { workspaceId: string; contactIds: readonly string[] };

/** What a scrubbed message's recipient becomes: no address, and no way back to one. */
export const SCRUBBED_RECIPIENT = "redacted";

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

/** The contacts' addresses (email lower-cased, phone as stored), as a CTE body. */
const addressesOf = (set: ContactSet) => sql`
  select lower(c.email) as email, c.phone from ${contacts} c
  where c.workspace_id = ${set.workspaceId}::uuid and c.id = any(${uuidArray(set.contactIds)})`;

/**
 * The messages sent to the contacts: by contact id, or by an address they hold (a notification
 * sent with `to` and no contact). In-app and push messages name the contact id as recipient.
 */
const messagesOf = (set: ContactSet): SQL => sql`
  select m.id from ${messages} m
  where m.workspace_id = ${set.workspaceId}::uuid
    and (m.contact_id = any(${uuidArray(set.contactIds)})
      or m.recipient = any(${sql`${`{${set.contactIds.join(",")}}`}::text[]`})
      or lower(m.recipient) in (select email from a where email is not null)
      or m.recipient in (select phone from a where phone is not null))`;

/** Whether `text` mentions one of the addresses (case-insensitively for emails). */
const mentionsAddress = (text: SQL): SQL => sql`exists (
  select 1 from a where (a.email is not null and strpos(lower(${text}), a.email) > 0) or (a.phone is not null and strpos(${text}, a.phone) > 0))`;

async function count(db: Db, statement: SQL): Promise<number> {
  const result = await db.execute(sql`with changed as (${statement} returning 1) select count(*)::int as n from changed`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

async function countWith(db: Db, set: ContactSet, statement: SQL): Promise<number> {
  if (set.contactIds.length === 0) return 0;
  const result = await db.execute(sql`with a as (${addressesOf(set)}), changed as (${statement} returning 1) select count(*)::int as n from changed`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** The local outbox's rendered copies of the contacts' messages (and any copy addressed to them). */
export function deleteOutboxCopiesOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`delete from ${outboxMessages} o where o.workspace_id = ${set.workspaceId}::uuid
      and (o.message_id in (${messagesOf(set)}) or ${mentionsAddress(sql`o."to"`)})`,
  );
}

/** Provider errors recorded for the contacts' messages that quote an address. */
export function clearAttemptErrorsOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`update ${messageAttempts} t set error = null
      where t.workspace_id = ${set.workspaceId}::uuid and t.message_id in (${messagesOf(set)})
        and t.error is not null and ${mentionsAddress(sql`t.error`)}`,
  );
}

/**
 * Engagement events of the contacts' messages lose what ties them to a person (contact, recipient
 * domain, client, device); the rows stay, so the rollups and sealed metrics built from them still
 * add up.
 */
export function anonymiseEngagementOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`update ${engagementEvents} e set contact_id = null, recipient_domain = null, client = null, device = null, os = null
      where e.workspace_id = ${set.workspaceId}::uuid
        and (e.contact_id = any(${uuidArray(set.contactIds)}) or e.message_id in (${messagesOf(set)}))
        and (e.contact_id is not null or e.recipient_domain is not null or e.client is not null or e.device is not null or e.os is not null)`,
  );
}

/** Provider webhook payloads that quote an address (they carry the recipient): replaced by a marker. */
export function redactWebhookPayloadsOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`update ${webhookEvents} w set payload = '{"redacted":"erasure"}'::jsonb
      where w.payload <> '{"redacted":"erasure"}'::jsonb and ${mentionsAddress(sql`w.payload::text`)}`,
  );
}

/**
 * The contacts' messages keep their status and timestamps (campaign progress and counts) but
 * lose the recipient (a fixed placeholder), the request data and body, the subject, and the
 * provider's ids and errors. They keep the contact id: an anonymised contact's row stays, and
 * an erased contact's row going sets it null (the foreign key). Counts only rows it changed, so
 * a resumed step counts nothing twice.
 */
export function scrubMessagesOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`update ${messages} m set recipient = ${SCRUBBED_RECIPIENT}, request = '{"data":{}}'::jsonb, subject = null,
        provider_message_id = null, send_key = null, error = null, updated_at = now()
      where m.id in (${messagesOf(set)})
        and (m.recipient <> ${SCRUBBED_RECIPIENT} or m.request <> '{"data":{}}'::jsonb or m.subject is not null
          or m.provider_message_id is not null or m.send_key is not null or m.error is not null)`,
  );
}

/**
 * A case-insensitive pattern matching any of the contacts' addresses (email, phone) literally:
 * every character that is not a letter, digit, `@`, `_` or `-` is escaped. Null when they have none.
 */
const addressPattern = sql`(select string_agg(regexp_replace(v, '([^a-zA-Z0-9@_-])', ${"\\\\\\1"}, 'g'), '|')
  from (select email as v from a where email is not null union select phone from a where phone is not null) as found)`;

/** One address entry of a mailbox message: the contacts' own is replaced, a display name quoting them is redacted. */
const scrubMailboxEntry = (entry: SQL): SQL => sql`case
  when lower(${entry}->>'address') in (select email from a where email is not null)
    then ${JSON.stringify({ name: null, address: SCRUBBED_RECIPIENT })}::jsonb
  when ${entry}->>'name' is not null
    then jsonb_set(${entry}, '{name}', to_jsonb(coalesce(regexp_replace(${entry}->>'name', ${addressPattern}, ${SCRUBBED_RECIPIENT}, 'gi'), ${entry}->>'name')))
  else ${entry} end`;

const scrubMailboxText = (column: SQL): SQL => sql`coalesce(regexp_replace(${column}, ${addressPattern}, ${SCRUBBED_RECIPIENT}, 'gi'), ${column})`;

/**
 * Mailbox messages that name the contacts: in From/To/Cc the contacts' entries become the
 * redaction a scrubbed message's recipient gets (address `redacted`, no display name), they
 * leave `participants`, and the subject, snippet and body quoting an address (or a display name
 * quoting one) have it replaced by `redacted` — all case-insensitively. The row keeps its
 * Message-ID and thread, so the same export imported again is recognised as already stored and
 * extracts nothing. Counts only rows that still named someone, so a re-run counts nothing.
 */
export function scrubMailboxMessagesOfContacts(db: Db, set: ContactSet): Promise<number> {
  const entries = (column: SQL) => sql`(select coalesce(jsonb_agg(${scrubMailboxEntry(sql`x.e`)} order by x.n), '[]'::jsonb)
    from jsonb_array_elements(${column}) with ordinality as x(e, n))`;
  return countWith(
    db,
    set,
    sql`update ${mailboxMessages} m set
        from_address = case when m.from_address is null or jsonb_typeof(m.from_address) <> 'object' then m.from_address else ${scrubMailboxEntry(sql`m.from_address`)} end,
        to_addresses = ${entries(sql`m.to_addresses`)},
        cc_addresses = ${entries(sql`m.cc_addresses`)},
        participants = array(select p from unnest(m.participants) as p where lower(p) not in (select email from a where email is not null)),
        subject = ${scrubMailboxText(sql`m.subject`)},
        snippet = ${scrubMailboxText(sql`m.snippet`)},
        body = ${scrubMailboxText(sql`m.body`)}
      where m.workspace_id = ${set.workspaceId}::uuid
        and (m.participants && array(select email from a where email is not null)
          or ${mentionsAddress(sql`concat_ws(' ', m.from_address::text, m.to_addresses::text, m.cc_addresses::text, m.subject, m.snippet, m.body)`)})`,
  );
}

/**
 * Relationship summaries about the contacts (their basis holds the excerpts of their mail), and
 * any other relationship summary whose basis quotes one of their addresses, are deleted: what
 * was shown to the model goes with the person. A relationship row pointing at one loses the link.
 */
export function deleteRelationshipSummariesOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`delete from ${aiRecommendations} r
      where r.workspace_id = ${set.workspaceId}::uuid and r.kind = 'relationship-summary'
        and ((r.target_type = 'contact' and r.target_id = any(${uuidArray(set.contactIds)})) or ${mentionsAddress(sql`r.basis::text`)})`,
  );
}

/**
 * Other contacts' relationships that quote the contacts: the awaited thread's subject has the
 * address replaced by `redacted` (as the mailbox message's own subject is), and a summary or next
 * action naming them is withdrawn (it is asked again on demand). The contacts' own rows go with
 * the other contact-owned rows.
 */
export function scrubRelationshipsQuotingContacts(db: Db, set: ContactSet): Promise<number> {
  const quoting = (column: SQL) => sql`(${column} is not null and ${mentionsAddress(column)})`;
  return countWith(
    db,
    set,
    sql`update ${contactRelationships} r set
        awaiting_subject = ${scrubMailboxText(sql`r.awaiting_subject`)},
        summary = case when ${quoting(sql`r.summary`)} or ${quoting(sql`r.next_action`)} then null else r.summary end,
        next_action = case when ${quoting(sql`r.summary`)} or ${quoting(sql`r.next_action`)} then null else r.next_action end,
        input_hash = case when ${quoting(sql`r.summary`)} or ${quoting(sql`r.next_action`)} then null else r.input_hash end
      where r.workspace_id = ${set.workspaceId}::uuid and r.contact_id <> all(${uuidArray(set.contactIds)})
        and (${quoting(sql`r.awaiting_subject`)} or ${quoting(sql`r.summary`)} or ${quoting(sql`r.next_action`)})`,
  );
}

/** Report lines of imports that quote an address lose the value; the contacts' import records go. */
export async function scrubImportsOfContacts(db: Db, set: ContactSet): Promise<number> {
  const errors = await countWith(
    db,
    set,
    sql`update ${importErrors} e set value = null
      where e.workspace_id = ${set.workspaceId}::uuid and e.value is not null and ${mentionsAddress(sql`e.value`)}`,
  );
  if (set.contactIds.length === 0) return errors;
  const records = await count(db, sql`delete from ${importContacts} where contact_id = any(${uuidArray(set.contactIds)})`);
  return errors + records;
}

/**
 * Workspace exports made before one of the contacts was hidden hold their rows (later ones leave
 * hidden contacts out): they are withdrawn with the contacts' own exports.
 */
const exportsHolding = (set: ContactSet): SQL => sql`
  (contact_id = any(${uuidArray(set.contactIds)})
    or (subject = 'workspace' and created_at < (
      select max(c.erasure_requested_at) from ${contacts} c
      where c.workspace_id = ${set.workspaceId}::uuid and c.id = any(${uuidArray(set.contactIds)}))))`;

/** The storage keys of the exports holding the contacts: their files are deleted before their rows. */
export async function exportFilesOfContacts(db: Db, set: ContactSet): Promise<string[]> {
  if (set.contactIds.length === 0) return [];
  const result = await db.execute(sql`
    select storage_key from ${dataExports}
    where workspace_id = ${set.workspaceId}::uuid and storage_key is not null and ${exportsHolding(set)}`);
  return rowsOf<{ storage_key: string }>(result).map((row) => row.storage_key);
}

/** The contacts' own exports go; a workspace export that held them stays listed, withdrawn (no file). */
export async function deleteExportsOfContacts(db: Db, set: ContactSet): Promise<number> {
  if (set.contactIds.length === 0) return 0;
  const withdrawn = await count(
    db,
    sql`update ${dataExports} set status = 'expired', storage_key = null, error = 'Withdrawn: it held a contact who has since been erased'
      where workspace_id = ${set.workspaceId}::uuid and subject = 'workspace' and storage_key is not null and ${exportsHolding(set)}`,
  );
  return withdrawn + (await count(db, sql`delete from ${dataExports} where workspace_id = ${set.workspaceId}::uuid and contact_id = any(${uuidArray(set.contactIds)})`));
}

/**
 * Audit entries whose details quote an address: the details are replaced by a marker. The hash
 * chain covers details through their stored digest, so the chain stays whole
 * (core/audit/audit-chain.ts) and verification counts the entry as redacted.
 */
export function redactAuditDetailsOfContacts(db: Db, set: ContactSet): Promise<number> {
  return countWith(
    db,
    set,
    sql`update ${auditLog} l set details = ${JSON.stringify(REDACTED_AUDIT_DETAILS)}::jsonb
      where l.workspace_id = ${set.workspaceId}::uuid and l.details <> ${JSON.stringify(REDACTED_AUDIT_DETAILS)}::jsonb and ${mentionsAddress(sql`l.details::text`)}`,
  );
}

/** Rows that exist only for the contacts, deleted table by table (each its own count). */
export const CONTACT_OWNED_TABLES = {
  inbox_messages: inboxMessages,
  push_subscriptions: pushSubscriptions,
  whatsapp_contacts: whatsappContacts,
  contact_preferences: contactPreferences,
  list_members: listMembers,
  contact_engagement: contactEngagement,
  contact_enrichments: contactEnrichments,
  channel_plans: channelPlans,
  digests: digests,
  /** Where the mailbox filled each of the contact's values. */
  contact_sources: contactSources,
  /** The contact's relationship from the mailbox: its figures and its summary. */
  contact_relationships: contactRelationships,
} as const;
export type ContactOwnedTable = keyof typeof CONTACT_OWNED_TABLES;

export function deleteContactRowsOf(db: Db, table: ContactOwnedTable, set: ContactSet): Promise<number> {
  if (set.contactIds.length === 0) return Promise.resolve(0);
  const target = CONTACT_OWNED_TABLES[table];
  return count(db, sql`delete from ${target} where workspace_id = ${set.workspaceId}::uuid and contact_id = any(${uuidArray(set.contactIds)})`);
}

/** The contacts' addresses, read before the rows go: what is suppressed (salted) once they are erased. */
export async function addressesOfContacts(db: Db, set: ContactSet): Promise<{ email: string | null; phone: string | null }[]> {
  if (set.contactIds.length === 0) return [];
  const result = await db.execute(addressesOf(set));
  return rowsOf<{ email: string | null; phone: string | null }>(result);
}

/** The last step: the contacts' rows (whatever still references them cascades or is set null). */
export function deleteErasedContacts(db: Db, set: ContactSet): Promise<number> {
  if (set.contactIds.length === 0) return Promise.resolve(0);
  return count(db, sql`delete from ${contacts} where workspace_id = ${set.workspaceId}::uuid and id = any(${uuidArray(set.contactIds)})`);
}

/**
 * Every stored file a workspace owns (import uploads, mailbox uploads, exports, campaign archives'
 * files and manifests, lib/archives/archive-files.ts, email images): deleted before the workspace's rows.
 */
export async function storedFilesOfWorkspace(db: Db, params: { workspaceId: string }): Promise<string[]> {
  const result = await db.execute(sql`
    select file_key as key from imports where workspace_id = ${params.workspaceId}::uuid
    union select storage_key from ${dataExports} where workspace_id = ${params.workspaceId}::uuid and storage_key is not null
    union select file_key from ${mailboxConnections} where workspace_id = ${params.workspaceId}::uuid and file_key is not null
    union select file->>'key' from campaign_archives a, jsonb_array_elements(coalesce(a.manifest->'files', '[]'::jsonb)) file
      where a.workspace_id = ${params.workspaceId}::uuid
    union select storage_prefix || '/manifest' from campaign_archives where workspace_id = ${params.workspaceId}::uuid and storage_prefix is not null
    union select storage_key from email_assets where workspace_id = ${params.workspaceId}::uuid`);
  return rowsOf<{ key: string }>(result).map((row) => row.key);
}

/** The workspace and, by cascade, everything it owns. */
export function deleteWorkspaceRows(db: Db, params: { workspaceId: string }): Promise<number> {
  return count(db, sql`delete from workspaces where id = ${params.workspaceId}::uuid`);
}
