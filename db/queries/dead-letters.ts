import { and, asc, desc, eq, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";
import type { Message } from "./messages";

/**
 * Dead letters are messages, not rows of their own: a message whose sending gave up on a failure
 * a retry might fix is `failed` with `dead_lettered_at` set. Keeping the mark on the message lets
 * the dead-lettering and the retry each be one conditional UPDATE of one row (the status and the
 * mark cannot disagree), and the partial index messages_dead_letters_idx keeps the list cheap.
 */

/** What the list, the count, the export and "retry all matching" filter on; every field optional. */
export type DeadLetterFilter = {
  channel?: Message["channel"];
  kind?: Message["kind"];
  /** A substring of the error, any case. */
  errorContains?: string;
  /** dead_lettered_at >= from */
  from?: Date;
  /** dead_lettered_at < to */
  to?: Date;
};

export type DeadLetter = Message & { deadLetteredAt: Date; attemptCount: number };

/** The statuses a message may be dead-lettered from: never confirmed sent, not yet final. */
const UNFINISHED = ["queued", "sending"] as const;

function matching(workspaceId: string, filter: DeadLetterFilter): SQL {
  return and(
    eq(messages.workspaceId, workspaceId),
    isNotNull(messages.deadLetteredAt),
    filter.channel ? eq(messages.channel, filter.channel) : undefined,
    filter.kind ? eq(messages.kind, filter.kind) : undefined,
    // strpos rather than ILIKE: the caller's text needs no escaping of % and _.
    filter.errorContains ? sql`strpos(lower(${messages.error}), lower(${filter.errorContains})) > 0` : undefined,
    filter.from ? sql`${messages.deadLetteredAt} >= ${filter.from.toISOString()}::timestamptz` : undefined,
    filter.to ? sql`${messages.deadLetteredAt} < ${filter.to.toISOString()}::timestamptz` : undefined,
  )!;
}

// Spelled out: inside a selection, drizzle would leave the columns unqualified, and "id" would be the attempt's.
const attemptCount = sql<number>`(select count(*) from "message_attempts" where "message_attempts"."message_id" = "messages"."id")::int`.as("attempt_count");

/**
 * Messages a send gave up on become `failed` and dead letters, with `error` saying why, at once.
 * Only messages still queued or sending are touched: one a provider refused for good is already
 * `failed` (a plain failure, not a dead letter), and one that was sent stays sent. Returns the
 * rows it marked.
 */
export async function deadLetterMessages(
  db: Db,
  params: { workspaceId: string; messageIds: readonly string[]; error: string; at?: Date; from?: readonly (typeof UNFINISHED)[number][] },
): Promise<Message[]> {
  if (params.messageIds.length === 0) return [];
  const at = params.at ?? new Date();
  return db
    .update(messages)
    .set({ status: "failed", failedAt: at, deadLetteredAt: at, error: params.error, updatedAt: at })
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        inArray(messages.id, [...params.messageIds]),
        inArray(messages.status, [...(params.from ?? UNFINISHED)]),
      ),
    )
    .returning();
}

/** Newest dead letter first, keyset-paginated on (dead_lettered_at, id), with each one's number of attempts. */
export async function listDeadLetters(
  db: Db,
  params: { workspaceId: string; filter?: DeadLetterFilter; limit: number; after?: Position },
): Promise<DeadLetter[]> {
  const rows = await db
    .select({ message: messages, attemptCount })
    .from(messages)
    .where(and(matching(params.workspaceId, params.filter ?? {}), before(messages.deadLetteredAt, messages.id, params.after)))
    .orderBy(desc(messages.deadLetteredAt), desc(messages.id))
    .limit(params.limit);
  return rows.map(({ message, attemptCount }) => ({ ...message, deadLetteredAt: message.deadLetteredAt!, attemptCount }));
}

export async function countDeadLetters(db: Db, params: { workspaceId: string; filter?: DeadLetterFilter }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messages)
    .where(matching(params.workspaceId, params.filter ?? {}));
  return row?.count ?? 0;
}

/** One dead letter of the workspace, or undefined when the id is another workspace's or not (any longer) a dead letter. */
export async function getDeadLetter(db: Db, params: { workspaceId: string; messageId: string }): Promise<DeadLetter | undefined> {
  const [row] = await db
    .select({ message: messages, attemptCount })
    .from(messages)
    .where(and(matching(params.workspaceId, {}), eq(messages.id, params.messageId)));
  return row ? { ...row.message, deadLetteredAt: row.message.deadLetteredAt!, attemptCount: row.attemptCount } : undefined;
}

/**
 * Takes up to `limit` transactional dead letters out of the list and queues them again — the
 * one exception to forward-only status (invariant 4), made only here and audited by the caller:
 * failed → queued, the mark, error and failed_at cleared, retry_count incremented. Picks the
 * oldest matching first; `messageIds` narrows to those ids. One statement whose WHERE re-checks
 * the mark, so of two concurrent retries of the same message exactly one requeues it (the other
 * waits for the row, finds it no longer a dead letter, and skips it; FOR UPDATE SKIP LOCKED in the
 * pick makes a bulk retry pass over rows another retry holds instead of queuing behind them).
 * Campaign messages are left alone: their campaign's chunks, not a notification run, send them.
 */
export async function requeueDeadLetters(
  db: Db,
  params: { workspaceId: string; filter?: DeadLetterFilter; messageIds?: readonly string[]; limit: number },
): Promise<{ id: string; retryCount: number; channel: Message["channel"] }[]> {
  if (params.messageIds?.length === 0) return [];
  const retryable = and(
    matching(params.workspaceId, params.filter ?? {}),
    eq(messages.kind, "transactional"),
    eq(messages.status, "failed"),
    params.messageIds ? inArray(messages.id, [...params.messageIds]) : undefined,
  );
  const picked = db
    .select({ id: messages.id })
    .from(messages)
    .where(retryable)
    .orderBy(asc(messages.deadLetteredAt), asc(messages.id))
    .limit(params.limit)
    .for("update", { skipLocked: true });
  const now = new Date();
  return db
    .update(messages)
    .set({
      status: "queued",
      deadLetteredAt: null,
      failedAt: null,
      error: null,
      retryCount: sql`${messages.retryCount} + 1`,
      updatedAt: now,
    })
    // array(…) makes the pick an InitPlan, run once. As `id in (…)` the planner may run it again
    // per row, and each run, skipping the rows this statement already locked, picks new ones,
    // so the limit would not hold.
    .where(and(retryable, sql`${messages.id} = any(array(${picked}))`))
    .returning({ id: messages.id, retryCount: messages.retryCount, channel: messages.channel });
}
