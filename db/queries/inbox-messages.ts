import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { inboxMessages } from "@/db/schema";
import type { InboxAction, InboxCounts, InboxView } from "@/core/inbox/inbox-actions";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";

export type InboxMessage = typeof inboxMessages.$inferSelect;
export type NewInboxMessage = typeof inboxMessages.$inferInsert;

type ContactInbox = { workspaceId: string; contactId: string };

const ofContact = (params: ContactInbox) => and(eq(inboxMessages.workspaceId, params.workspaceId), eq(inboxMessages.contactId, params.contactId));

/**
 * Stores a message once per (workspace, idempotency key), as a provider honours its keys, and
 * returns the stored row either way: a send retried after a crash finds the first row.
 */
export async function insertInboxMessage(db: Db, message: NewInboxMessage): Promise<{ row: InboxMessage; created: boolean }> {
  const [created] = await db.insert(inboxMessages).values(message).onConflictDoNothing().returning();
  if (created) return { row: created, created: true };
  const [existing] = await db
    .select()
    .from(inboxMessages)
    .where(and(eq(inboxMessages.workspaceId, message.workspaceId), eq(inboxMessages.idempotencyKey, message.idempotencyKey)));
  if (existing) return { row: existing, created: false };
  // The conflict was on message_id under another key: the message is already in an inbox.
  const [sameMessage] = await db.select().from(inboxMessages).where(eq(inboxMessages.messageId, message.messageId));
  return { row: sameMessage!, created: false };
}

export async function getInboxMessage(db: Db, params: { workspaceId: string; id: string }): Promise<InboxMessage | undefined> {
  const [row] = await db
    .select()
    .from(inboxMessages)
    .where(and(eq(inboxMessages.workspaceId, params.workspaceId), eq(inboxMessages.id, params.id)));
  return row;
}

function viewFilter(view: InboxView): SQL | undefined {
  if (view === "archived") return isNotNull(inboxMessages.archivedAt);
  if (view === "unread") return and(isNull(inboxMessages.archivedAt), isNull(inboxMessages.readAt));
  return isNull(inboxMessages.archivedAt);
}

/** A page of a contact's feed, newest first, along (workspace, contact, created_at, id). */
export async function listInboxMessages(
  db: Db,
  params: ContactInbox & { view: InboxView; limit: number; after?: Position },
): Promise<InboxMessage[]> {
  return db
    .select()
    .from(inboxMessages)
    .where(and(ofContact(params), viewFilter(params.view), before(inboxMessages.createdAt, inboxMessages.id, params.after)))
    .orderBy(desc(inboxMessages.createdAt), desc(inboxMessages.id))
    .limit(params.limit);
}

/**
 * Unread and unseen messages outside the archive, in one pass over the partial unread index
 * (an unseen message is always unread: reading marks it seen too).
 */
export async function countInboxMessages(db: Db, params: ContactInbox): Promise<InboxCounts> {
  const [row] = await db
    .select({
      unread: sql<number>`count(*)::int`,
      unseen: sql<number>`(count(*) filter (where ${inboxMessages.seenAt} is null))::int`,
    })
    .from(inboxMessages)
    .where(and(ofContact(params), isNull(inboxMessages.readAt), isNull(inboxMessages.archivedAt)));
  return { unread: Number(row?.unread ?? 0), unseen: Number(row?.unseen ?? 0) };
}

/**
 * Rows of the contact changed after a position (inserted or changed state), oldest change
 * first and paged along (updated_at, id): the live stream's poll, a probe of the
 * (workspace, contact, updated_at, id) index that costs next to nothing when nothing changed.
 */
export async function listInboxChanges(db: Db, params: ContactInbox & { after: Position; limit: number }): Promise<InboxMessage[]> {
  return db
    .select()
    .from(inboxMessages)
    .where(and(ofContact(params), sql`(${inboxMessages.updatedAt}, ${inboxMessages.id}) > (${params.after.at.toISOString()}::timestamptz, ${params.after.id}::uuid)`))
    .orderBy(asc(inboxMessages.updatedAt), asc(inboxMessages.id))
    .limit(params.limit);
}

/** The database's clock, which every instance shares: the stream's starting point. */
export async function inboxClock(db: Db): Promise<Date> {
  const [row] = await db.select({ now: sql<string>`now()::text` }).from(sql`(select 1) as clock`);
  return new Date(row!.now);
}

type Change = { set: Partial<Record<"seenAt" | "readAt" | "archivedAt", SQL | null>>; unchanged: SQL; scope?: SQL };

/**
 * What each action writes, and which rows it leaves alone (already in that state) so a repeat
 * writes nothing and moves no `updated_at`. "All" means the inbox outside the archive, except
 * for unarchive, which empties the archive.
 */
const CHANGES: Record<InboxAction, Change> = {
  seen: { set: { seenAt: sql`now()` }, unchanged: isNotNull(inboxMessages.seenAt), scope: isNull(inboxMessages.archivedAt) },
  read: {
    set: { readAt: sql`now()`, seenAt: sql`coalesce(${inboxMessages.seenAt}, now())` },
    unchanged: isNotNull(inboxMessages.readAt),
    scope: isNull(inboxMessages.archivedAt),
  },
  unread: { set: { readAt: null }, unchanged: isNull(inboxMessages.readAt), scope: isNull(inboxMessages.archivedAt) },
  archive: { set: { archivedAt: sql`now()` }, unchanged: isNotNull(inboxMessages.archivedAt) },
  unarchive: { set: { archivedAt: null }, unchanged: isNull(inboxMessages.archivedAt) },
};

const targetsOf = (params: ContactInbox & { action: InboxAction; ids?: readonly string[] }) => {
  const change = CHANGES[params.action];
  return and(ofContact(params), params.ids ? inArray(inboxMessages.id, [...params.ids]) : change.scope, sql`not (${change.unchanged})`);
};

/**
 * The messages an action would change (ids of another contact or workspace match nothing): read
 * before a seen/read is applied, so the seen events go out before the state that implies them
 * is written, and "all" means exactly the messages announced.
 */
export async function listInboxActionTargets(
  db: Db,
  params: ContactInbox & { action: InboxAction; ids?: readonly string[] },
): Promise<Pick<InboxMessage, "id" | "messageId" | "seenAt">[]> {
  return db
    .select({ id: inboxMessages.id, messageId: inboxMessages.messageId, seenAt: inboxMessages.seenAt })
    .from(inboxMessages)
    .where(targetsOf(params))
    .orderBy(asc(inboxMessages.createdAt), asc(inboxMessages.id));
}

export type InboxStateChange = InboxMessage & { newlySeen: boolean };

/**
 * Applies an action to the given messages of the contact (ids of another contact or workspace
 * match nothing), or to all of them when `ids` is absent. Returns the rows it changed, each
 * marked `newlySeen` when this call is what made it seen: the caller announces exactly those.
 * One statement; `seen_at` and `updated_at` come from the same now(), so a newly seen row is one
 * whose two stamps are equal.
 */
export async function applyInboxAction(
  db: Db,
  params: ContactInbox & { action: InboxAction; ids?: readonly string[] },
): Promise<InboxStateChange[]> {
  const rows = await db
    .update(inboxMessages)
    .set({ ...CHANGES[params.action].set, updatedAt: sql`now()` })
    .where(targetsOf(params))
    .returning();
  const seenBy = params.action === "seen" || params.action === "read";
  return rows.map((row) => ({ ...row, newlySeen: seenBy && row.seenAt !== null && row.seenAt.getTime() === row.updatedAt.getTime() }));
}
