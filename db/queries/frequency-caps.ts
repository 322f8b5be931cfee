import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { type FrequencyCap, withinCap } from "@/core/delivery/frequency-cap";
import { rowsOf } from "./rows-of";

export type ReleaseOutcome = "released" | "capped" | "not-queued";

/**
 * Lets a queued message go to its sender, or reports that its category's cap is reached. The
 * contact's row is locked for the transaction, so two releases for one contact (two runs, two
 * functions) count one after the other and a cap of 3 never lets a fourth through; the count is
 * of messages released in the trailing window that did not end suppressed or failed.
 */
export async function releaseMessage(
  db: Db,
  params: { workspaceId: string; messageId: string; contactId: string | null; channel: string; category: string | null; cap: FrequencyCap | null },
): Promise<ReleaseOutcome> {
  return db.transaction(async (tx) => {
    if (params.contactId) {
      await tx.execute(sql`select id from contacts where workspace_id = ${params.workspaceId} and id = ${params.contactId} for update`);
    }
    if (params.cap && params.contactId && params.category) {
      const [counted] = rowsOf<{ released: number }>(
        await tx.execute(sql`
          select count(*)::int as released from messages
          where contact_id = ${params.contactId}
            and workspace_id = ${params.workspaceId}
            and channel = ${params.channel}
            and category = ${params.category}
            and released_at > now() - make_interval(secs => ${params.cap.periodSeconds})
            and status not in ('suppressed', 'failed')
            and id <> ${params.messageId}`),
      );
      if (!withinCap(counted?.released ?? 0, params.cap)) return "capped";
    }
    const released = rowsOf<{ id: string }>(
      await tx.execute(sql`
        update messages set released_at = coalesce(released_at, now()), updated_at = now()
        where workspace_id = ${params.workspaceId} and id = ${params.messageId} and status in ('queued', 'sending')
        returning id`),
    );
    return released.length > 0 ? "released" : "not-queued";
  });
}
