import { and, count, eq, gte } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import type { MessageStatus } from "@/core/messages/status";

export type StatusCounts = Partial<Record<MessageStatus, number>>;

/**
 * Messages queued since `since`, counted per status. A range on (workspace_id, queued_at)
 * walks messages_workspace_queued_idx, so the cost follows the window, not the table.
 */
export async function countMessagesByStatus(db: Db, params: { workspaceId: string; since: Date }): Promise<StatusCounts> {
  const rows = await db
    .select({ status: messages.status, total: count() })
    .from(messages)
    .where(and(eq(messages.workspaceId, params.workspaceId), gte(messages.queuedAt, params.since)))
    .groupBy(messages.status);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.total)]));
}
