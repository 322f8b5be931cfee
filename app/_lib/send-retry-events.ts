import type { Db } from "@/db";
import { inngest } from "@/inngest/client";
import { notificationSendRequested } from "@/inngest/events";
import { apiError } from "@/lib/api/responses";
import { type NotificationSendEvent, returnToDeadLetters } from "@/lib/dead-letters/retry-dead-letters";
import { logger } from "@/lib/observability/logger";

/**
 * Sends the runs a dead-letter retry asked for, as typed `notification/send.requested` events.
 * When the Inngest server does not take them, the messages go back to the dead letters (those
 * still queued) and the caller gets a 503 to retry; null when queued.
 */
export async function sendRetryEvents(db: Db, workspaceId: string, events: readonly NotificationSendEvent[]): Promise<Response | null> {
  if (events.length === 0) return null;
  try {
    await inngest.send(events.map((event) => notificationSendRequested.create(event.data, { id: event.id })));
    return null;
  } catch (error) {
    const returned = await returnToDeadLetters(db, { workspaceId, messageIds: events.map((event) => event.data.messageId) });
    logger.error({ err: error, workspaceId, messages: events.length, returned }, "dead-letters: could not queue the retry");
    return apiError(503, "queue_unavailable", "The messages could not be queued; they are back in the dead letters: retry again");
  }
}
