import type { Db } from "@/db";
import { getMailboxConnection, lockMailboxConnection, recordMailboxPage } from "@/db/queries/mailbox-connections";
import { upsertMailboxMessages, type NewMailboxMessage } from "@/db/queries/mailbox-messages";
import { mergeMailboxPeople, type MergePerson, type SourcedValue } from "@/db/queries/contact-sources";
import { suppressedHashes, suppressionSalt } from "@/db/queries/suppressions";
import { addressHashes } from "@/core/messages/address-hash";
import { directionOf, extractPeople, type MailboxContactField } from "@/core/mailbox/extract-people";
import { MAILBOX_PAGE_MESSAGES } from "@/core/mailbox/mailbox-limits";
import { workspaceRegion } from "@/lib/contacts/workspace-region";
import { ERASED_SUPPRESSION_REASON } from "@/lib/lifecycle/contact-erasure-steps";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FileStorage } from "@/lib/storage/file-storage";
import { type ParsedMailMessage, parseMailMessage } from "./parse-mail-message";
import { readMboxPage } from "./read-mbox-page";

/** What one page did; `state` says why the loop stops (anything but "active" stops it). */
export type MailboxPageResult = {
  state: "active" | "done" | "paused" | "error" | "disconnected" | "reconnect" | "missing";
  seen: number;
  stored: number;
  duplicates: number;
  skipped: number;
  contactsCreated: number;
  contactsUpdated: number;
  /** The cursor after this page. */
  offset: number;
  /** New contacts for enrichment: ids only, at most a page's worth of people. */
  createdContactIds: string[];
};

const idle = (state: MailboxPageResult["state"], offset = 0): MailboxPageResult => ({
  state,
  offset,
  seen: 0,
  stored: 0,
  duplicates: 0,
  skipped: 0,
  contactsCreated: 0,
  contactsUpdated: 0,
  createdContactIds: [],
});

/**
 * Reads, parses and stores the next page of an import connection's file and merges the people
 * it names into contacts — all writes and the cursor's move in one transaction, so a page is
 * either wholly committed or not at all, and a retry (or a second run) starts from the stored
 * cursor, never from what a run remembers. A message that cannot be read is counted as skipped
 * with its reason; it never fails the page.
 */
export async function importMailboxPage(db: Db, storage: FileStorage, params: { workspaceId: string; connectionId: string; pageMessages?: number }): Promise<MailboxPageResult> {
  const connection = await getMailboxConnection(db, params);
  if (!connection) return idle("missing");
  const offset = connection.cursor?.offset ?? 0;
  if (connection.finishedAt) return idle("done", offset);
  if (connection.status !== "active") return idle(connection.status, offset);
  if (!connection.fileKey) return idle("error", offset);
  const started = performance.now();

  const page = await readMboxPage(await storage.openRead(connection.fileKey, { start: offset }), { offset, maxMessages: params.pageMessages ?? MAILBOX_PAGE_MESSAGES });
  const parsed: ParsedMailMessage[] = [];
  const skippedSamples: { offset: number; reason: string }[] = [];
  for (const raw of page.messages) {
    const result = await parseMailMessage(raw);
    if (result.ok) parsed.push(result.message);
    else skippedSamples.push({ offset: result.offset, reason: result.reason });
  }
  const owners = connection.ownerAddresses;
  const unique = new Map<string, ParsedMailMessage>();
  for (const message of parsed) {
    const first = unique.get(message.messageId);
    // The same message twice in one page (two folders of a Takeout export): one row, both labels.
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
    body: connection.storeBodies ? message.body : null,
  }));
  const region = await workspaceRegion(db, params.workspaceId);
  const salt = await suppressionSalt(db, params);

  const outcome = await db.transaction(async (tx) => {
    const locked = await lockMailboxConnection(tx, params);
    // Another run moved the cursor or the connection was paused meanwhile: write nothing.
    if (!locked || locked.status !== "active" || locked.finishedAt || (locked.cursor?.offset ?? 0) !== offset) return null;
    const stored = await upsertMailboxMessages(tx, { workspaceId: params.workspaceId, connectionId: params.connectionId, messages: rows });
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
    const erased = await suppressedHashes(tx, { workspaceId: params.workspaceId, channel: "email", reason: ERASED_SUPPRESSION_REASON, hashes: [...hashOf.keys()] });
    const blocked = new Set([...erased].map((hash) => hashOf.get(hash)!));
    const merged = await mergeMailboxPeople(tx, { workspaceId: params.workspaceId, connectionId: params.connectionId, people, blocked });
    const result = {
      seen: page.messages.length,
      stored: rowIdOf.size,
      duplicates: parsed.length - rowIdOf.size,
      skipped: skippedSamples.length,
      contactsCreated: merged.createdIds.length,
      contactsUpdated: merged.updated,
      createdContactIds: merged.createdIds,
    };
    const done = page.nextOffset === null;
    const nextOffset = page.nextOffset ?? offset + page.messages.reduce((sum, m) => sum + m.bytes, 0);
    await recordMailboxPage(tx, {
      ...params,
      progress: {
        cursor: { offset: nextOffset, pages: (locked.cursor?.pages ?? 0) + 1 },
        done,
        seen: result.seen,
        stored: result.stored,
        skipped: result.skipped,
        recipientsDropped: parsed.reduce((sum, message) => sum + message.recipientsDropped, 0),
        contactsCreated: result.contactsCreated,
        contactsUpdated: result.contactsUpdated,
        skippedSamples,
      },
    });
    return { ...result, offset: nextOffset, state: done ? ("done" as const) : ("active" as const) };
  });
  if (!outcome) return idle("active", offset);

  const counters = metrics();
  counters.mailboxMessages.inc({ result: "stored" }, outcome.stored);
  counters.mailboxMessages.inc({ result: "duplicate" }, outcome.duplicates);
  counters.mailboxMessages.inc({ result: "skipped" }, outcome.skipped);
  counters.mailboxContacts.inc({ outcome: "created" }, outcome.contactsCreated);
  counters.mailboxContacts.inc({ outcome: "updated" }, outcome.contactsUpdated);
  logger.info(
    {
      workspaceId: params.workspaceId,
      connectionId: params.connectionId,
      offset,
      seen: outcome.seen,
      stored: outcome.stored,
      duplicates: outcome.duplicates,
      skipped: outcome.skipped,
      contactsCreated: outcome.contactsCreated,
      contactsUpdated: outcome.contactsUpdated,
      ms: Math.round(performance.now() - started),
    },
    "mailbox: page imported",
  );
  return outcome;
}
