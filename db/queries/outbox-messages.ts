import { and, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages, outboxMessages } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
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

export type OutboxFilter = {
  /** messages.id, or the caller's idempotency key for it (the `messageId` posted to /notifications). */
  messageId?: string;
  campaignId?: string;
  to?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Outbox rows of the message named either way; both lookups use an index (the outbox's message_id, messages' unique key). */
function ofMessage(workspaceId: string, messageId: string): SQL {
  const byKey = sql`${outboxMessages.messageId} in (select ${messages.id} from ${messages} where ${messages.workspaceId} = ${workspaceId}::uuid and ${messages.idempotencyKey} = ${messageId})`;
  return UUID.test(messageId) ? or(eq(outboxMessages.messageId, messageId), byKey)! : byKey;
}

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
        filter.messageId ? ofMessage(params.workspaceId, filter.messageId) : undefined,
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
