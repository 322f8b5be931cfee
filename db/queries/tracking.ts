import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import { type MessageStatus, predecessorsOf } from "@/core/messages/status";
import type { Message } from "./messages";
import { rowsOf } from "./rows-of";

// These run for public tracking links, by message id alone: the signed token names the
// message, and the workspace is whatever the row says (invariant 5), never the request's.

/**
 * Statuses an open or click may move forward. queued and sending are left alone: a pixel that
 * loads before the send is recorded (a fast reader, a slow step) must not skip "sent", or the
 * send's own forward-only update would find the row already past it and drop the provider id.
 */
function engagementFrom(to: MessageStatus): MessageStatus[] {
  const unsent = new Set(predecessorsOf("sent"));
  return predecessorsOf(to).filter((status) => !unsent.has(status));
}

/** `status` moved to `to` when that is a forward move from a sent message, else unchanged. */
function forwardTo(to: MessageStatus): SQL {
  return sql`case when ${inArray(messages.status, engagementFrom(to))} then ${to}::message_status else ${messages.status} end`;
}

/**
 * One human open: total opens +1, opened_at marks the first (unique) one. A single UPDATE that
 * locks the row and reads its previous state, so repeats and concurrent loads only ever add
 * to the count and exactly one of them is the first. Undefined when the message no longer exists.
 */
export async function recordOpen(db: Db, params: { messageId: string; at?: Date }): Promise<AppliedEngagement | undefined> {
  const at = (params.at ?? new Date()).toISOString();
  return applyEngagement(db, params.messageId, sql`
    open_count = messages.open_count + 1,
    opened_at = coalesce(messages.opened_at, ${at}::timestamptz),
    status = ${forwardTo("opened")},
    updated_at = ${at}::timestamptz`);
}

/**
 * One human click: total clicks +1, clicked_at marks the first. A click proves an open the pixel
 * may have missed (images off), so it also sets opened_at and at least one open, keeping
 * "opened_at is set ⇔ open_count ≥ 1" true for every row (and counts as the first open if it is).
 */
export async function recordClick(db: Db, params: { messageId: string; at?: Date }): Promise<AppliedEngagement | undefined> {
  const at = (params.at ?? new Date()).toISOString();
  return applyEngagement(db, params.messageId, sql`
    click_count = messages.click_count + 1,
    clicked_at = coalesce(messages.clicked_at, ${at}::timestamptz),
    open_count = greatest(messages.open_count, 1),
    opened_at = coalesce(messages.opened_at, ${at}::timestamptz),
    status = ${forwardTo("clicked")},
    updated_at = ${at}::timestamptz`);
}

/** What applying a human open or click did: the row after it, and whether it was the message's first of each. */
export type AppliedEngagement = { message: Message; firstOpen: boolean; firstClick: boolean };

/**
 * Locks the row in the FROM list and reads its state there, so `first_*` describe the row before
 * this update while RETURNING sees it after.
 */
async function applyEngagement(db: Db, messageId: string, assignments: SQL): Promise<AppliedEngagement | undefined> {
  const result = await db.execute(sql`
    update messages set ${assignments}
    from (select prior.id, prior.opened_at is null as first_open, prior.clicked_at is null as first_click
          from messages prior where prior.id = ${messageId}::uuid for update) before
    where messages.id = before.id
    returning messages.id, before.first_open, before.first_click`);
  const [row] = rowsOf<{ id: string; first_open: boolean; first_click: boolean }>(result);
  if (!row) return undefined;
  const [message] = await db.select().from(messages).where(eq(messages.id, row.id));
  return message && { message, firstOpen: row.first_open, firstClick: row.first_click };
}

/**
 * Stamps messages.unsubscribed_at the first time the message's unsubscribe link is used;
 * `first` is false for every repeat (the stamp is never moved).
 */
export async function markMessageUnsubscribed(
  db: Db,
  params: { messageId: string; at?: Date },
): Promise<{ message: Message; first: boolean } | undefined> {
  const at = params.at ?? new Date();
  const [stamped] = await db
    .update(messages)
    .set({ unsubscribedAt: at, updatedAt: at })
    .where(and(eq(messages.id, params.messageId), isNull(messages.unsubscribedAt)))
    .returning();
  if (stamped) return { message: stamped, first: true };
  const [existing] = await db.select().from(messages).where(eq(messages.id, params.messageId));
  return existing ? { message: existing, first: false } : undefined;
}
