import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { outboxMessages } from "@/db/schema";
import type { Position } from "@/lib/api/cursor";
import { before } from "./keyset";

export type OutboxMessage = typeof outboxMessages.$inferSelect;
export type NewOutboxMessage = typeof outboxMessages.$inferInsert;

/**
 * Stores a message once per (workspace, idempotency key) — the local provider honours
 * idempotency keys just as Resend does — and returns the stored row either way.
 */
export async function insertOutboxMessage(db: Db, message: NewOutboxMessage): Promise<{ row: OutboxMessage; created: boolean }> {
  const [created] = await db.insert(outboxMessages).values(message).onConflictDoNothing().returning();
  if (created) return { row: created, created: true };
  const [existing] = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.workspaceId, message.workspaceId), eq(outboxMessages.idempotencyKey, message.idempotencyKey)));
  return { row: existing!, created: false };
}

export type OutboxFilter = { messageId?: string; campaignId?: string; to?: string };

export async function listOutboxMessages(
  db: Db,
  params: { workspaceId: string; filter?: OutboxFilter; limit: number; after?: Position },
): Promise<OutboxMessage[]> {
  const filter = params.filter ?? {};
  return db
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.workspaceId, params.workspaceId),
        filter.messageId ? eq(outboxMessages.messageId, filter.messageId) : undefined,
        filter.campaignId ? eq(outboxMessages.campaignId, filter.campaignId) : undefined,
        filter.to ? eq(outboxMessages.to, filter.to) : undefined,
        before(outboxMessages.createdAt, outboxMessages.id, params.after),
      ),
    )
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(params.limit);
}

export async function getOutboxMessage(db: Db, params: { workspaceId: string; id: string }): Promise<OutboxMessage | undefined> {
  const [row] = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.workspaceId, params.workspaceId), eq(outboxMessages.id, params.id)));
  return row;
}
