import type { Db } from "@/db";
import { insertAuditEntries } from "@/db/queries/audit-log";
import { type DeadLetterFilter, deadLetterMessages, requeueDeadLetters } from "@/db/queries/dead-letters";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { Channel } from "@/core/messages/channels";

/**
 * A `notification/send.requested` event as data (lib/ never sends): app/ turns it into the
 * typed event. The id is new for each retry (the message's retry count is in it): Inngest runs a
 * function once per event id, so reusing the first request's id would start nothing.
 */
export type NotificationSendEvent = { id: string; data: { workspaceId: string; messageId: string; channel: Channel } };

export type RetriedDeadLetter = { id: string; retryCount: number };

export function retryEventId(messageId: string, retryCount: number): string {
  return `dead-letter-retry-${messageId}-${retryCount}`;
}

/**
 * Takes dead letters out of the list and queues them again, at most once each: the transition
 * (requeueDeadLetters) and an audit entry per message commit together, so a retry that lost a
 * race to another one finds nothing to do and returns no event. The resend reuses the message's
 * provider idempotency key (`msg_<id>`), so a message the provider had accepted while its answer
 * was lost is answered from the provider's store instead of being sent again.
 */
export async function retryDeadLetters(
  db: Db,
  params: { workspaceId: string; actor: string; filter?: DeadLetterFilter; messageIds?: readonly string[]; limit: number },
): Promise<{ retried: RetriedDeadLetter[]; events: NotificationSendEvent[] }> {
  const rows = await db.transaction(async (tx) => {
    const requeued = await requeueDeadLetters(tx, params);
    await insertAuditEntries(
      tx,
      requeued.map((row) => ({
        workspaceId: params.workspaceId,
        actor: params.actor,
        // Status moved back (failed → queued): the one audited exception to forward-only.
        action: "message.dead_letter_retried",
        targetType: "message",
        targetId: row.id,
        details: { retryCount: row.retryCount },
      })),
    );
    return requeued;
  });
  for (const row of rows) {
    metrics().deadLetters.inc({ channel: row.channel, event: "retried" });
    logger.info({ workspaceId: params.workspaceId, messageId: row.id, retryCount: row.retryCount, actor: params.actor }, "dead-letters: message queued again");
  }
  return {
    retried: rows.map(({ id, retryCount }) => ({ id, retryCount })),
    events: rows.map((row) => ({ id: retryEventId(row.id, row.retryCount), data: { workspaceId: params.workspaceId, messageId: row.id, channel: row.channel } })),
  };
}

/**
 * The retry's events could not be sent: the messages it queued, if still queued (no run took
 * them), go back to the dead letters saying so, rather than waiting in `queued` for a run that
 * will never come.
 */
export async function returnToDeadLetters(db: Db, params: { workspaceId: string; messageIds: readonly string[] }): Promise<number> {
  const rows = await deadLetterMessages(db, {
    ...params,
    error: "The retry could not be queued (the Inngest server did not answer); retry it again",
    from: ["queued"],
  });
  return rows.length;
}
