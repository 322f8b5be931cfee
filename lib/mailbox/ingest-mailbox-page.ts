import type { Db } from "@/db";
import { lockMailboxConnection, recordMailboxPage, type MailboxConnection } from "@/db/queries/mailbox-connections";
import { upsertMailboxMessages, type NewMailboxMessage } from "@/db/queries/mailbox-messages";
import { mergeMailboxPeople, type MergePerson, type SourcedValue } from "@/db/queries/contact-sources";
import { suppressedHashes, suppressionSalt } from "@/db/queries/suppressions";
import { addressHashes } from "@/core/messages/address-hash";
import { directionOf, extractPeople, type MailboxContactField } from "@/core/mailbox/extract-people";
import type { MailboxCursor } from "@/core/mailbox/mailbox-types";
import { workspaceRegion } from "@/lib/contacts/workspace-region";
import { ERASED_SUPPRESSION_REASON } from "@/lib/lifecycle/contact-erasure-steps";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { type IncomingMail, type ParsedMailMessage, parseMailMessage } from "./parse-mail-message";

/** What one committed page did. */
export type IngestOutcome = {
  seen: number;
  stored: number;
  duplicates: number;
  skipped: number;
  contactsCreated: number;
  contactsUpdated: number;
  /** New contacts for enrichment: ids only, at most a page's worth of people. */
  createdContactIds: string[];
};

/** A page that committed nothing: the counts every caller's "nothing happened" result starts from. */
export const nothingIngested = (): IngestOutcome => ({ seen: 0, stored: 0, duplicates: 0, skipped: 0, contactsCreated: 0, contactsUpdated: 0, createdContactIds: [] });

export type IngestPage = {
  workspaceId: string;
  connectionId: string;
  /**
   * The connection as read before the page was fetched: its owner addresses and body setting
   * apply, and the page commits only if the cursor's page count is still this one's.
   */
  connection: MailboxConnection;
  mails: readonly IncomingMail[];
  /** Where the reader stands after this page (`pages` is counted here). */
  cursor: Omit<MailboxCursor, "pages">;
  /** An import reached the end of its file. */
  finished?: boolean;
  /** A sync's backfill reached the end of the history window. */
  backfilled?: boolean;
};

/**
 * The one way messages enter the CRM, whatever their source (an uploaded mbox, IMAP, Gmail):
 * parses a page of raw messages, stores them once per Message-ID, merges the people they name
 * into contacts, and moves the connection's cursor — the writes and the cursor's move in one
 * transaction, so a page is either wholly committed or not at all and a retry starts from the
 * stored cursor. Returns null, writing nothing, when the connection moved on meanwhile (another
 * run committed a page, or it was paused or disconnected). A message that cannot be read is
 * counted as skipped with its reason; it never fails the page.
 */
export async function ingestMailboxPage(db: Db, page: IngestPage): Promise<IngestOutcome | null> {
  const started = performance.now();
  const ids = { workspaceId: page.workspaceId, connectionId: page.connectionId };
  const startPages = page.connection.cursor?.pages ?? 0;
  const parsed: ParsedMailMessage[] = [];
  const skippedSamples: { at: string; reason: string }[] = [];
  for (const mail of page.mails) {
    const result = await parseMailMessage(mail);
    if (result.ok) parsed.push(result.message);
    else skippedSamples.push({ at: result.ref, reason: result.reason });
  }
  const owners = page.connection.ownerAddresses;
  const unique = new Map<string, ParsedMailMessage>();
  for (const message of parsed) {
    const first = unique.get(message.messageId);
    // The same message twice in one page (two folders of an export or a server): one row, both labels.
    if (first) first.labels = [...new Set([...first.labels, ...message.labels])];
    else unique.set(message.messageId, message);
  }
  const rows: NewMailboxMessage[] = [...unique.values()].map((message) => ({
    messageId: message.messageId,
    threadId: message.threadId,
    from: message.from,
    to: message.to,
    cc: message.cc,
    participants: [...new Set([message.from, ...message.to, ...message.cc, ...message.replyTo].flatMap((a) => (a ? [a.address] : [])))],
    sentAt: message.sentAt,
    subject: message.subject,
    snippet: message.snippet,
    direction: directionOf(message.from, owners),
    labels: message.labels,
    automatedReason: message.automatedReason,
    body: page.connection.storeBodies ? message.body : null,
  }));
  const region = await workspaceRegion(db, page.workspaceId);
  const salt = await suppressionSalt(db, ids);

  const outcome = await db.transaction(async (tx) => {
    const locked = await lockMailboxConnection(tx, ids);
    if (!locked || locked.status !== "active" || locked.finishedAt || (locked.cursor?.pages ?? 0) !== startPages) return null;
    const stored = await upsertMailboxMessages(tx, { ...ids, messages: rows });
    const rowIdOf = new Map(stored.filter((row) => row.inserted).map((row) => [row.messageId, row.id]));
    // Only messages new to the workspace feed extraction: a copy in another folder was read already.
    const fresh = [...unique.values()].filter((message) => rowIdOf.has(message.messageId));
    const candidates = extractPeople(
      fresh.map((message) => ({ ...message, key: message.messageId })),
      { ownerAddresses: owners, defaultRegion: region, fallbackSeenAt: new Date().toISOString() },
    );
    const people: MergePerson[] = candidates.map((candidate) => ({
      email: candidate.email,
      firstSeenAt: candidate.firstSeenAt,
      lastSeenAt: candidate.lastSeenAt,
      values: Object.fromEntries(
        Object.entries(candidate.values).map(([field, value]) => [
          field,
          { value: value.value, source: value.source, mailboxMessageId: rowIdOf.get(value.messageKey) ?? null, seenAt: value.seenAt } satisfies SourcedValue,
        ]),
      ) as Partial<Record<MailboxContactField, SourcedValue>>,
    }));
    const hashOf = new Map(people.map((person) => [addressHashes("email", person.email, salt), person.email] as const).flatMap(([hashes, email]) => hashes.map((hash) => [hash, email] as const)));
    const erased = await suppressedHashes(tx, { workspaceId: page.workspaceId, channel: "email", reason: ERASED_SUPPRESSION_REASON, hashes: [...hashOf.keys()] });
    const blocked = new Set([...erased].map((hash) => hashOf.get(hash)!));
    const merged = await mergeMailboxPeople(tx, { ...ids, people, blocked });
    const result: IngestOutcome = {
      seen: page.mails.length,
      stored: rowIdOf.size,
      duplicates: parsed.length - rowIdOf.size,
      skipped: skippedSamples.length,
      contactsCreated: merged.createdIds.length,
      contactsUpdated: merged.updated,
      createdContactIds: merged.createdIds,
    };
    await recordMailboxPage(tx, {
      ...ids,
      progress: {
        cursor: { ...page.cursor, pages: startPages + 1 },
        finished: page.finished ?? false,
        backfilled: page.backfilled ?? false,
        seen: result.seen,
        stored: result.stored,
        skipped: result.skipped,
        recipientsDropped: parsed.reduce((sum, message) => sum + message.recipientsDropped, 0),
        contactsCreated: result.contactsCreated,
        contactsUpdated: result.contactsUpdated,
        skippedSamples,
      },
    });
    return result;
  });
  if (!outcome) return null;

  const counters = metrics();
  counters.mailboxMessages.inc({ result: "stored" }, outcome.stored);
  counters.mailboxMessages.inc({ result: "duplicate" }, outcome.duplicates);
  counters.mailboxMessages.inc({ result: "skipped" }, outcome.skipped);
  counters.mailboxContacts.inc({ outcome: "created" }, outcome.contactsCreated);
  counters.mailboxContacts.inc({ outcome: "updated" }, outcome.contactsUpdated);
  logger.info(
    {
      ...ids,
      kind: page.connection.kind,
      page: startPages + 1,
      seen: outcome.seen,
      stored: outcome.stored,
      duplicates: outcome.duplicates,
      skipped: outcome.skipped,
      contactsCreated: outcome.contactsCreated,
      contactsUpdated: outcome.contactsUpdated,
      ms: Math.round(performance.now() - started),
    },
    "mailbox: page stored",
  );
  return outcome;
}
