import type { Db } from "@/db";
import { listMessageAttempts } from "@/db/queries/message-attempts";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { deadLetterNotifications } from "@/lib/dead-letters/dead-letter-notifications";

/**
 * send-notification gave up (its retries ran out, or a setting no retry could fix stopped it): a
 * message not yet in a final state becomes `failed` and a dead letter, to be retried once the
 * cause is gone. A message deliverMessage already failed for good (bad template, address refused)
 * is final and stays a plain failure. The reason a user reads is the last provider attempt's error
 * when there was one (the run's error is then that same failure, serialized), else the run's
 * error through publicErrorMessage — a setting in its own words, anything else as
 * "Internal error (id …)" with the detail in the log.
 */
export async function failNotification(db: Db, ids: { workspaceId: string; messageId: string }, error: unknown): Promise<void> {
  const attempts = await listMessageAttempts(db, ids);
  const failed = attempts.filter((attempt) => attempt.outcome !== "sent");
  const last = failed.at(-1)?.error;
  const reason = last
    ? `Gave up after ${failed.length} failed attempt${failed.length === 1 ? "" : "s"}; the last: ${last}`
    : publicErrorMessage(error, { where: "send-notification", ...ids });
  await deadLetterNotifications(db, { workspaceId: ids.workspaceId, messageIds: [ids.messageId], reason });
}
