import { archiveRequestedEvent, archiveRestoreRequestedEvent } from "@/inngest/archive-events";
import { inngest } from "@/inngest/client";
import { logger } from "@/lib/observability/logger";

type ArchiveEvent = { workspaceId: string; archiveId: string; requestedAt: Date };

/**
 * Sends the event an archive or restore request asked for; false when the queue could not take it.
 * The request stands (the archive row says `archiving`/`restoring`): the nightly plan re-sends a
 * stalled archive, and repeating the request answers 409 with the state, so the caller retries the send.
 */
export async function sendArchiveEvent(kind: "archive" | "restore", event: ArchiveEvent): Promise<boolean> {
  try {
    await inngest.send(kind === "archive" ? archiveRequestedEvent(event) : archiveRestoreRequestedEvent(event));
    return true;
  } catch (error) {
    logger.error({ err: error, workspaceId: event.workspaceId, archiveId: event.archiveId }, `archives: could not send the ${kind} event`);
    return false;
  }
}
