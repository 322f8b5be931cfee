import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import type { Position } from "@/lib/api/cursor";
import { type MessageStatus, predecessorsOf } from "@/lib/messages/status";
import { before } from "./keyset";

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Inserts once per (workspace, idempotency key); a repeat returns the first row untouched. */
export async function insertMessage(db: Db, message: NewMessage): Promise<{ row: Message; created: boolean }> {
  const [created] = await db.insert(messages).values(message).onConflictDoNothing().returning();
  if (created) return { row: created, created: true };
  const [existing] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, message.workspaceId), eq(messages.idempotencyKey, message.idempotencyKey)));
  return { row: existing!, created: false };
}

export async function getMessage(db: Db, params: { workspaceId: string; messageId: string }): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, params.workspaceId), eq(messages.id, params.messageId)));
  return row;
}

export async function listMessages(
  db: Db,
  params: { workspaceId: string; kind?: Message["kind"]; status?: MessageStatus; limit: number; after?: Position },
): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        params.kind ? eq(messages.kind, params.kind) : undefined,
        params.status ? eq(messages.status, params.status) : undefined,
        before(messages.queuedAt, messages.id, params.after),
      ),
    )
    .orderBy(desc(messages.queuedAt), desc(messages.id))
    .limit(params.limit);
}

const TIMESTAMP_OF: Partial<Record<MessageStatus, keyof NewMessage>> = {
  sent: "sentAt",
  delivered: "deliveredAt",
  opened: "openedAt",
  clicked: "clickedAt",
  bounced: "bouncedAt",
  complained: "complainedAt",
  failed: "failedAt",
  suppressed: "suppressedAt",
};

/**
 * Moves a message forward, never back (invariant 4): the WHERE clause only matches rows whose
 * current status precedes `to`, so a late or duplicate update is a no-op. Returns the updated
 * row, or undefined when the move was not forward.
 */
export async function advanceMessageStatus(
  db: Db,
  params: {
    workspaceId: string;
    messageId: string;
    to: MessageStatus;
    at?: Date;
    set?: Partial<Pick<NewMessage, "provider" | "providerMessageId" | "error" | "subject">>;
  },
): Promise<Message | undefined> {
  const at = params.at ?? new Date();
  const stamp = TIMESTAMP_OF[params.to];
  const [row] = await db
    .update(messages)
    .set({ ...params.set, status: params.to, updatedAt: at, ...(stamp ? { [stamp]: at } : {}) })
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        eq(messages.id, params.messageId),
        inArray(messages.status, predecessorsOf(params.to)),
      ),
    )
    .returning();
  return row;
}

/**
 * Claims a message for sending. "sending" is claimable again on purpose: a crash between the
 * provider call and recording its result leaves the row there, and the retry re-sends with
 * the same provider idempotency key, which the provider (or the outbox) de-duplicates.
 */
export async function claimMessageForSend(db: Db, params: { workspaceId: string; messageId: string }): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ status: "sending", updatedAt: sql`now()` })
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        eq(messages.id, params.messageId),
        inArray(messages.status, ["queued", "sending"]),
      ),
    )
    .returning();
  return row;
}

/**
 * By id alone, for functions: they re-derive the workspace from the row (invariant 5) and
 * compare it with what the event claimed.
 */
export async function findMessageById(db: Db, params: { messageId: string }): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, params.messageId));
  return row;
}
