import { z } from "zod";
import type { Db } from "@/db";
import { sendRetryEvents } from "@/app/_lib/send-retry-events";
import { DEFAULT_RETRY_BATCH } from "@/lib/dead-letters/dead-letter-request";
import { retryDeadLetters } from "@/lib/dead-letters/retry-dead-letters";
import type { DeadLetterRetryState } from "./dead-letter-retry-state";
import { type DeadLetterPageFilter, deadLetterPageFilter } from "./dead-letter-filter";

/**
 * The page's retry buttons, as POST /api/v1/dead-letters/{id}/retry and /retry do it: the
 * at-most-once requeue with an audit entry attributed to the dashboard, then the events. A
 * button drawn for a dead letter another retry took since is reported, not thrown.
 */
export async function runDeadLetterRetry(
  db: Db,
  params: { workspaceId: string; messageId?: string; filter?: DeadLetterPageFilter },
): Promise<DeadLetterRetryState> {
  if (params.messageId !== undefined && !z.uuid().safeParse(params.messageId).success) return { ok: false, message: "That message no longer exists: reload the page." };
  const outcome = await retryDeadLetters(db, {
    workspaceId: params.workspaceId,
    actor: "dashboard",
    ...(params.messageId ? { messageIds: [params.messageId], limit: 1 } : { filter: deadLetterPageFilter(params.filter ?? {}), limit: DEFAULT_RETRY_BATCH }),
  });
  const count = outcome.retried.length;
  if (count === 0) {
    return { ok: false, message: params.messageId ? "Not retried: it is no longer a dead letter (retried already)." : "Nothing to retry: no transactional dead letter matches." };
  }
  if (await sendRetryEvents(db, params.workspaceId, outcome.events)) {
    return { ok: false, message: "Not retried: the Inngest server did not take the work. The messages are back in the dead letters; try again." };
  }
  const more = !params.messageId && count === DEFAULT_RETRY_BATCH ? ` Retry again for the next ${DEFAULT_RETRY_BATCH}.` : "";
  return { ok: true, message: `Queued again: ${count} message${count === 1 ? "" : "s"}.${more}` };
}
