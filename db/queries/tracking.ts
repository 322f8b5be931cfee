import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import { type MessageStatus, predecessorsOf } from "@/core/messages/status";
import type { Message } from "./messages";

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
 * One open of the pixel: total opens +1, opened_at marks the first (unique) one. A single
 * conditional UPDATE, so repeats and concurrent loads only ever add to the count. Undefined
 * when the message no longer exists.
 */
export async function recordOpen(db: Db, params: { messageId: string; at?: Date }): Promise<Message | undefined> {
  const at = params.at ?? new Date();
  const [row] = await db
    .update(messages)
    .set({
      openCount: sql`${messages.openCount} + 1`,
      openedAt: sql`coalesce(${messages.openedAt}, ${at.toISOString()}::timestamptz)`,
      status: forwardTo("opened"),
      updatedAt: at,
    })
    .where(eq(messages.id, params.messageId))
    .returning();
  return row;
}

/**
 * One click: total clicks +1, clicked_at marks the first. A click proves an open the pixel may
 * have missed (images off), so it also sets opened_at and at least one open, keeping
 * "opened_at is set ⇔ open_count ≥ 1" true for every row.
 */
export async function recordClick(db: Db, params: { messageId: string; at?: Date }): Promise<Message | undefined> {
  const at = params.at ?? new Date();
  const [row] = await db
    .update(messages)
    .set({
      clickCount: sql`${messages.clickCount} + 1`,
      clickedAt: sql`coalesce(${messages.clickedAt}, ${at.toISOString()}::timestamptz)`,
      openCount: sql`greatest(${messages.openCount}, 1)`,
      openedAt: sql`coalesce(${messages.openedAt}, ${at.toISOString()}::timestamptz)`,
      status: forwardTo("clicked"),
      updatedAt: at,
    })
    .where(eq(messages.id, params.messageId))
    .returning();
  return row;
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
