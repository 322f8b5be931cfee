import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { messageAttempts } from "@/db/schema";

export type MessageAttempt = typeof messageAttempts.$inferSelect;
export type NewMessageAttempt = typeof messageAttempts.$inferInsert;

/**
 * Appends provider attempts to messages' histories, in one statement however many (a batched
 * send records its whole batch at once). Nothing is ever updated: a retried step adds its own row.
 */
export async function recordMessageAttempts(db: Db, rows: readonly NewMessageAttempt[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(messageAttempts).values([...rows]);
}

/** One message's attempts, oldest first; served by message_attempts_message_idx. */
export async function listMessageAttempts(db: Db, params: { workspaceId: string; messageId: string }): Promise<MessageAttempt[]> {
  return db
    .select()
    .from(messageAttempts)
    .where(and(eq(messageAttempts.messageId, params.messageId), eq(messageAttempts.workspaceId, params.workspaceId)))
    .orderBy(asc(messageAttempts.at), asc(messageAttempts.id));
}
