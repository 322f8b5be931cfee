import type { Db } from "@/db";
import { deadLetterMessages } from "@/db/queries/dead-letters";
import type { Message } from "@/db/queries/messages";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * Sending gave up on these messages after its retries: each one still queued or sending becomes
 * `failed` and a dead letter with `reason` (already fit to show: attemptErrorMessage or
 * publicErrorMessage), counted and logged. Messages already final are left as they are — a
 * permanent refusal stays a plain failure. Returns the messages it dead-lettered.
 */
export async function deadLetterNotifications(
  db: Db,
  params: { workspaceId: string; messageIds: readonly string[]; reason: string },
): Promise<Message[]> {
  const rows = await deadLetterMessages(db, { workspaceId: params.workspaceId, messageIds: params.messageIds, error: params.reason });
  for (const row of rows) {
    metrics().deadLetters.inc({ channel: row.channel, event: "dead_lettered" });
    logger.warn({ workspaceId: row.workspaceId, messageId: row.id, channel: row.channel, reason: row.error }, "dead-letters: message dead-lettered");
  }
  return rows;
}
