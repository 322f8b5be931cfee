import { getDatabase } from "@/db";
import { listSyncedMailboxConnections } from "@/db/queries/mailbox-connections";
import { inngest } from "@/inngest/client";
import { mailboxSyncEvent } from "@/inngest/mailbox-sync-event";
import { logger } from "@/lib/observability/logger";

/** Connections per page: one step reads them, one send fans out their events (≤ 2 each: a quarter of Inngest's 5,000 per send). */
export const MAILBOX_SCHEDULE_PAGE = 500;
export const MAILBOX_SYNC_INTERVAL_MINUTES = 15;
const SLOT_MS = MAILBOX_SYNC_INTERVAL_MINUTES * 60_000;

/**
 * Every 15 minutes: an incremental sync for every active IMAP and Gmail connection, and a backfill
 * for those whose backfill stalled (not done, no page committed for a whole interval: its run
 * was lost). Incremental event ids name the 15-minute slot of the cron's own time, so a replayed
 * or retried round sends nothing twice; backfill ids name the stalled cursor position, so one
 * stall is resumed once. Connections waiting for a reconnect (or paused, failed, disconnected)
 * are not in the list: a revoked account costs nothing until the user acts.
 */
export const scheduleMailboxSyncs = inngest.createFunction(
  { id: "schedule-mailbox-syncs", triggers: [{ cron: `*/${MAILBOX_SYNC_INTERVAL_MINUTES} * * * *` }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const slotStart = Math.floor(new Date(event.ts ?? Date.now()).getTime() / SLOT_MS) * SLOT_MS;
    const slot = new Date(slotStart).toISOString();
    let after: string | undefined;
    let incremental = 0;
    let backfills = 0;
    for (let page = 0; ; page++) {
      const connections = await step.run(`list-connections-${page}`, async () =>
        listSyncedMailboxConnections((await getDatabase()).db, { after, limit: MAILBOX_SCHEDULE_PAGE, stalledBefore: new Date(slotStart - SLOT_MS) }),
      );
      const events = connections.flatMap((connection) => {
        const ids = { workspaceId: connection.workspaceId, connectionId: connection.id };
        const due = [mailboxSyncEvent(ids, "incremental", `slot-${slot}`)];
        if (connection.backfillStalled) due.push(mailboxSyncEvent(ids, "backfill", `resume-at-${connection.pages}`));
        return due;
      });
      if (events.length > 0) await step.sendEvent(`request-syncs-${page}`, events);
      incremental += connections.length;
      backfills += events.length - connections.length;
      if (connections.length < MAILBOX_SCHEDULE_PAGE) break;
      after = connections.at(-1)!.id;
    }
    logger.info({ slot, incremental, backfills }, "mailbox: syncs scheduled");
    return { slot, incremental, backfills };
  },
);
