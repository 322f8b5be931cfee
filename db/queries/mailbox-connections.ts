import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { mailboxConnections } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import type { MailboxCursor } from "@/core/mailbox/mailbox-types";
import { MAILBOX_SKIPPED_SAMPLES } from "@/core/mailbox/mailbox-limits";
import { storableJson } from "@/core/text/storable-text";
import { before } from "./keyset";

export type MailboxConnection = typeof mailboxConnections.$inferSelect;

export async function insertMailboxConnection(
  db: Db,
  values: Pick<typeof mailboxConnections.$inferInsert, "workspaceId" | "kind" | "label" | "ownerAddresses" | "storeBodies"> &
    Partial<Pick<typeof mailboxConnections.$inferInsert, "id" | "fileKey" | "fileName" | "fileBytes" | "sha256" | "settings" | "credentials" | "credentialsKeyId" | "historyDays">>,
): Promise<MailboxConnection> {
  const [row] = await db.insert(mailboxConnections).values(values).returning();
  return row!;
}

export async function getMailboxConnection(db: Db, params: { workspaceId: string; connectionId: string }): Promise<MailboxConnection | undefined> {
  const [row] = await db
    .select()
    .from(mailboxConnections)
    .where(and(eq(mailboxConnections.workspaceId, params.workspaceId), eq(mailboxConnections.id, params.connectionId)));
  return row;
}

export async function listMailboxConnections(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<MailboxConnection[]> {
  return db
    .select()
    .from(mailboxConnections)
    .where(and(eq(mailboxConnections.workspaceId, params.workspaceId), before(mailboxConnections.createdAt, mailboxConnections.id, params.after)))
    .orderBy(desc(mailboxConnections.createdAt), desc(mailboxConnections.id))
    .limit(params.limit);
}

/**
 * Pause, resume or disconnect. Moves only from the states named in `from`, so a disconnected
 * connection is never resumed and a finished one never paused; returns undefined when it did not move.
 */
export async function setMailboxConnectionStatus(
  db: Db,
  params: { workspaceId: string; connectionId: string; from: MailboxConnection["status"][]; to: MailboxConnection["status"]; reason: string | null },
): Promise<MailboxConnection | undefined> {
  const [row] = await db
    .update(mailboxConnections)
    .set({ status: params.to, statusReason: params.reason, updatedAt: sql`now()` })
    .where(
      and(
        eq(mailboxConnections.workspaceId, params.workspaceId),
        eq(mailboxConnections.id, params.connectionId),
        sql`${mailboxConnections.status} = any(${`{${params.from.join(",")}}`}::mailbox_connection_status[])`,
      ),
    )
    .returning();
  return row;
}

/** Locks the connection for a page: the page's writes and its cursor move commit together. */
export async function lockMailboxConnection(db: Db, params: { workspaceId: string; connectionId: string }): Promise<MailboxConnection | undefined> {
  const [row] = await db
    .select()
    .from(mailboxConnections)
    .where(and(eq(mailboxConnections.workspaceId, params.workspaceId), eq(mailboxConnections.id, params.connectionId)))
    .for("update");
  return row;
}

export type PageProgress = {
  cursor: MailboxCursor;
  /** An import read its whole file: stamps finished_at. */
  finished: boolean;
  /** A sync's backfill reached the end of its history window: stamps backfilled_at (once). */
  backfilled: boolean;
  seen: number;
  stored: number;
  skipped: number;
  recipientsDropped: number;
  contactsCreated: number;
  contactsUpdated: number;
  skippedSamples: { at: string; reason: string }[];
};

/** Adds a committed page's counts and moves the cursor; every committed page is a successful sync. */
export async function recordMailboxPage(db: Db, params: { workspaceId: string; connectionId: string; progress: PageProgress }): Promise<void> {
  const p = params.progress;
  await db
    .update(mailboxConnections)
    .set({
      cursor: p.cursor,
      messagesSeen: sql`${mailboxConnections.messagesSeen} + ${p.seen}`,
      messagesStored: sql`${mailboxConnections.messagesStored} + ${p.stored}`,
      messagesSkipped: sql`${mailboxConnections.messagesSkipped} + ${p.skipped}`,
      recipientsDropped: sql`${mailboxConnections.recipientsDropped} + ${p.recipientsDropped}`,
      contactsCreated: sql`${mailboxConnections.contactsCreated} + ${p.contactsCreated}`,
      contactsUpdated: sql`${mailboxConnections.contactsUpdated} + ${p.contactsUpdated}`,
      // Newest samples last, the oldest dropped past the cap.
      skippedSamples: sql`(select coalesce(jsonb_agg(s order by n), '[]'::jsonb) from (
          select s, n from jsonb_array_elements(${mailboxConnections.skippedSamples} || ${storableJson(p.skippedSamples)}::jsonb) with ordinality as e(s, n)
          order by n desc limit ${MAILBOX_SKIPPED_SAMPLES}) kept)`,
      startedAt: sql`coalesce(${mailboxConnections.startedAt}, now())`,
      finishedAt: p.finished ? sql`now()` : null,
      backfilledAt: p.backfilled ? sql`coalesce(${mailboxConnections.backfilledAt}, now())` : mailboxConnections.backfilledAt,
      lastSyncedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(mailboxConnections.workspaceId, params.workspaceId), eq(mailboxConnections.id, params.connectionId)));
}

export async function failMailboxConnection(db: Db, params: { workspaceId: string; connectionId: string; reason: string }): Promise<void> {
  await db
    .update(mailboxConnections)
    .set({ status: "error", statusReason: params.reason, updatedAt: sql`now()` })
    .where(and(eq(mailboxConnections.workspaceId, params.workspaceId), eq(mailboxConnections.id, params.connectionId), eq(mailboxConnections.status, "active")));
}

/** After a .zip was converted: the connection now reads the mbox written from it. */
export async function replaceMailboxFile(db: Db, params: { workspaceId: string; connectionId: string; fileKey: string; fileBytes: number }): Promise<void> {
  await db
    .update(mailboxConnections)
    .set({ fileKey: params.fileKey, fileBytes: params.fileBytes, updatedAt: sql`now()` })
    .where(and(eq(mailboxConnections.workspaceId, params.workspaceId), eq(mailboxConnections.id, params.connectionId)));
}

/**
 * Stores a connection's newly sealed credentials (a refreshed token, a re-seal under a new key).
 * With `replacing`, only if the stored value is still that one: a re-seal never overwrites a
 * token a sync refreshed meanwhile. Returns whether it stored.
 */
export async function storeMailboxCredentials(
  db: Db,
  params: { workspaceId: string; connectionId: string; credentials: string; credentialsKeyId: string; replacing?: string },
): Promise<boolean> {
  const rows = await db
    .update(mailboxConnections)
    .set({ credentials: params.credentials, credentialsKeyId: params.credentialsKeyId, updatedAt: sql`now()` })
    .where(
      and(
        eq(mailboxConnections.workspaceId, params.workspaceId),
        eq(mailboxConnections.id, params.connectionId),
        params.replacing === undefined ? undefined : eq(mailboxConnections.credentials, params.replacing),
      ),
    )
    .returning({ id: mailboxConnections.id });
  return rows.length > 0;
}

/**
 * Connections in every workspace whose credentials were sealed with a key other than
 * `currentKeyId` (a rotation is under way), by id after `after`: the re-seal job's batches.
 * The partial index on credentials_key_id keeps this cheap when nothing is left.
 */
export async function connectionsSealedWithOtherKeys(
  db: Db,
  params: { currentKeyId: string; after: string | null; limit: number },
): Promise<Pick<MailboxConnection, "id" | "workspaceId" | "credentials" | "credentialsKeyId">[]> {
  return db
    .select({ id: mailboxConnections.id, workspaceId: mailboxConnections.workspaceId, credentials: mailboxConnections.credentials, credentialsKeyId: mailboxConnections.credentialsKeyId })
    .from(mailboxConnections)
    .where(
      and(
        sql`${mailboxConnections.credentialsKeyId} is not null`,
        sql`${mailboxConnections.credentialsKeyId} <> ${params.currentKeyId}`,
        params.after ? sql`${mailboxConnections.id} > ${params.after}` : undefined,
      ),
    )
    .orderBy(mailboxConnections.id)
    .limit(params.limit);
}

/**
 * The workspace's Gmail connection for an account, unless disconnected: connecting the same
 * account again renews its tokens rather than adding a second connection.
 */
export async function findGmailConnection(db: Db, params: { workspaceId: string; address: string }): Promise<MailboxConnection | undefined> {
  const [row] = await db
    .select()
    .from(mailboxConnections)
    .where(
      and(
        eq(mailboxConnections.workspaceId, params.workspaceId),
        eq(mailboxConnections.kind, "gmail"),
        sql`${mailboxConnections.settings}->>'address' = ${params.address}`,
        sql`${mailboxConnections.status} <> 'disconnected'`,
      ),
    )
    .orderBy(desc(mailboxConnections.createdAt))
    .limit(1);
  return row;
}

export type SyncedMailboxConnection = { id: string; workspaceId: string; pages: number; backfillStalled: boolean };

/**
 * The schedule's page of connections to sync: active IMAP and Gmail connections, keyset by id
 * across workspaces. `backfillStalled`: the backfill is not done and no page was committed since
 * `stalledBefore` (a backfill run commits a page every few seconds, so none is going); `pages`
 * names the cursor position, so a resend for the same stall has the same event id. A connection
 * in `reconnect`, `paused`, `error` or `disconnected` is never returned: no crash loop.
 */
export async function listSyncedMailboxConnections(db: Db, params: { after?: string; limit: number; stalledBefore: Date }): Promise<SyncedMailboxConnection[]> {
  return db
    .select({
      id: mailboxConnections.id,
      workspaceId: mailboxConnections.workspaceId,
      pages: sql<number>`coalesce((${mailboxConnections.cursor} ->> 'pages')::int, 0)`.mapWith(Number),
      backfillStalled: sql<boolean>`${mailboxConnections.backfilledAt} is null and coalesce(${mailboxConnections.lastSyncedAt}, ${mailboxConnections.createdAt}) < ${params.stalledBefore.toISOString()}::timestamptz`,
    })
    .from(mailboxConnections)
    .where(
      and(
        sql`${mailboxConnections.kind} in ('imap', 'gmail')`,
        eq(mailboxConnections.status, "active"),
        params.after ? sql`${mailboxConnections.id} > ${params.after}::uuid` : undefined,
      ),
    )
    .orderBy(mailboxConnections.id)
    .limit(params.limit);
}
