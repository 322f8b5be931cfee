import { getDatabase } from "@/db";
import { failMailboxConnection, getMailboxConnection } from "@/db/queries/mailbox-connections";
import { inngest } from "@/inngest/client";
import { mailboxRelationshipsRequested, mailboxSyncRequested } from "@/inngest/events";
import { mailboxContactEvents } from "@/inngest/mailbox-contact-events";
import { mailboxSyncEvent } from "@/inngest/mailbox-sync-event";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { mailboxSourceOpener } from "@/lib/mailbox/open-mailbox-source";
import { syncMailboxPage } from "@/lib/mailbox/sync-mailbox-page";
import { stepError } from "@/lib/providers/step-error";

/**
 * Pages per run: with an enrichment send per page, far under Inngest's 1,000 steps; a longer
 * backfill (or a folder read again after a UIDVALIDITY change) continues in a new run from the
 * stored cursor, so no run's state grows without bound.
 */
export const MAILBOX_SYNC_PAGES_PER_RUN = 200;
/** Runs of one workspace at a time: its many mailboxes never take every slot from other workspaces. */
export const MAILBOX_SYNC_RUNS_PER_WORKSPACE = 3;
/** Seconds an incremental run jumps ahead of queued backfills (Inngest's `priority.run`, −600…600). */
export const MAILBOX_INCREMENTAL_PRIORITY_SECONDS = 300;

/**
 * Syncs a mailbox connection (IMAP, Gmail) from its stored cursor: one step per page
 * (syncMailboxPage: fetch, store once per Message-ID, merge people, move the cursor in one
 * transaction), an enrichment send for each page's new contacts, until the mode has nothing left
 * or the connection stops (paused, disconnected, reconnect). One run per connection at a time
 * (both modes move one cursor); new mail jumps ahead of history.
 */
export const syncMailbox = inngest.createFunction(
  {
    id: "sync-mailbox",
    triggers: [mailboxSyncRequested],
    concurrency: [
      { key: "event.data.connectionId", limit: 1 },
      { key: "event.data.workspaceId", limit: MAILBOX_SYNC_RUNS_PER_WORKSPACE },
    ],
    priority: { run: `event.data.mode == 'incremental' ? ${MAILBOX_INCREMENTAL_PRIORITY_SECONDS} : 0` },
    retries: 5,
    onFailure: async ({ event, error }) => {
      const { workspaceId, connectionId, mode } = event.data.event.data;
      const { db } = await getDatabase();
      await failMailboxConnection(db, { workspaceId, connectionId, reason: `The ${mode} sync stopped: ${publicErrorMessage(error, { where: "sync-mailbox", workspaceId, connectionId })}` });
    },
  },
  async ({ event, step, runId }) => {
    const { mode } = event.data;
    const ids = { workspaceId: event.data.workspaceId, connectionId: event.data.connectionId };
    const totals = { pages: 0, stored: 0, skipped: 0, contactsCreated: 0 };
    // New mail changes relationships: one request per run that stored any, folded per workspace by the recompute's debounce.
    const requestRelationships = async () => {
      if (totals.stored > 0) await step.sendEvent("request-relationships", mailboxRelationshipsRequested.create({ workspaceId: ids.workspaceId }, { id: `mailbox-relationships-after-${runId}` }));
    };
    for (let n = 0; n < MAILBOX_SYNC_PAGES_PER_RUN; n++) {
      const page = await step.run(`sync-page-${n}`, async () => {
        const { db } = await getDatabase();
        // The connection's kind picks its source; the page itself re-reads the connection under its lock.
        const connection = await getMailboxConnection(db, ids);
        if (!connection) return { state: "missing" as const, stored: 0, skipped: 0, contactsCreated: 0, createdContactIds: [] as string[] };
        try {
          return await syncMailboxPage(db, { ...ids, mode }, mailboxSourceOpener(connection.kind));
        } catch (error) {
          // Gmail's 429 waits as long as Google asked; anything else retries as usual.
          throw stepError(error);
        }
      });
      totals.pages++;
      totals.stored += page.stored;
      totals.skipped += page.skipped;
      totals.contactsCreated += page.contactsCreated;
      for (const [part, events] of mailboxContactEvents(ids.workspaceId, page.createdContactIds).entries()) await step.sendEvent(`enrich-page-${n}-${part}`, events);
      // `raced`: another run committed this page first; the cursor moved, so read on from it.
      if (page.state !== "more" && page.state !== "raced") {
        await requestRelationships();
        return { ...ids, mode, state: page.state, ...totals };
      }
    }
    await requestRelationships();
    await step.sendEvent("continue-sync", mailboxSyncEvent(ids, mode, `after-${runId}`));
    return { ...ids, mode, state: "continued", ...totals };
  },
);
