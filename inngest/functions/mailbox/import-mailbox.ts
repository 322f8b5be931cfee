import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { failMailboxConnection } from "@/db/queries/mailbox-connections";
import { inngest } from "@/inngest/client";
import { mailboxImportRequested, mailboxRelationshipsRequested } from "@/inngest/events";
import { mailboxContactEvents } from "@/inngest/mailbox-contact-events";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { importMailboxPage } from "@/lib/mailbox/import-mailbox-page";
import { prepareMailboxFile } from "@/lib/mailbox/prepare-mailbox-file";
import { MailboxFileError } from "@/lib/mailbox/zip-to-mbox";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/**
 * Pages per run: far under Inngest's 1,000 steps per function even with an enrichment send per
 * page; a bigger mailbox continues in a new run from the stored cursor.
 */
export const MAILBOX_PAGES_PER_RUN = 400;

/**
 * Imports an uploaded mailbox (.mbox, .eml or a .zip of .eml): one step per page of messages,
 * each a single transaction that also moves the connection's cursor, so a killed run resumes
 * after the last committed page and never stores a message twice. New contacts go to the
 * existing enrichment (`contact/created`, batched by enrich-contacts) a page at a time.
 *
 * One run per connection at a time (two would race on its cursor); connections run side by
 * side, so one big import never starves another. No run priority: Inngest orders runs of one
 * function by it, and this function has only backfills; it matters once an incremental sync
 * (high) shares the queue with them, and a negative factor here would only delay every import's
 * start by that many seconds on an idle queue.
 */
export const importMailbox = inngest.createFunction(
  {
    id: "import-mailbox",
    triggers: [mailboxImportRequested],
    concurrency: [{ key: "event.data.connectionId", limit: 1 }],
    retries: 5,
    onFailure: async ({ event, error }) => {
      const { workspaceId, connectionId } = event.data.event.data;
      const { db } = await getDatabase();
      await failMailboxConnection(db, { workspaceId, connectionId, reason: `The import stopped: ${publicErrorMessage(error, { where: "import-mailbox", workspaceId, connectionId })}` });
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, connectionId: event.data.connectionId };
    const storage = createFileStorage();

    await step.run("prepare-file", async () => {
      try {
        return await prepareMailboxFile((await getDatabase()).db, storage, ids);
      } catch (error) {
        if (error instanceof MailboxFileError) throw new NonRetriableError(error.message, { cause: error });
        throw error;
      }
    });

    const totals = { pages: 0, stored: 0, skipped: 0, contactsCreated: 0 };
    for (let n = 0; n < MAILBOX_PAGES_PER_RUN; n++) {
      const page = await step.run(`import-page-${n}`, async () => importMailboxPage((await getDatabase()).db, storage, ids));
      totals.pages++;
      totals.stored += page.stored;
      totals.skipped += page.skipped;
      totals.contactsCreated += page.contactsCreated;
      for (const [part, events] of mailboxContactEvents(ids.workspaceId, page.createdContactIds).entries()) await step.sendEvent(`enrich-page-${n}-${part}`, events);
      if (page.state === "done") await step.sendEvent("request-relationships", mailboxRelationshipsRequested.create({ workspaceId: ids.workspaceId }, { id: `mailbox-relationships-after-${ids.connectionId}` }));
      if (page.state !== "active") return { ...ids, state: page.state, ...totals };
      if (n === MAILBOX_PAGES_PER_RUN - 1) {
        await step.sendEvent("continue-import", mailboxImportRequested.create(ids, { id: `mailbox-import-${ids.connectionId}-at-${page.offset}` }));
      }
    }
    return { ...ids, state: "continued", ...totals };
  },
);
