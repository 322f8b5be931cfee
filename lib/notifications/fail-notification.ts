import type { Db } from "@/db";
import { advanceMessageStatus } from "@/db/queries/messages";
import { publicErrorMessage } from "@/lib/errors/public-error-message";

/**
 * send-notification gave up: a message not yet in a final state becomes `failed` with an error a
 * user can read (publicErrorMessage) — a template or provider problem in its own words, anything
 * else as "Internal error (id …)" with the detail in the log.
 */
export async function failNotification(db: Db, ids: { workspaceId: string; messageId: string }, error: unknown): Promise<void> {
  await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: publicErrorMessage(error, { where: "send-notification", ...ids }) } });
}
