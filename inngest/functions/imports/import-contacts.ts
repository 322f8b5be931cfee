import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { failImport } from "@/db/queries/imports";
import { inngest } from "@/inngest/client";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { contactCreated, contactImportRequested } from "@/inngest/events";
import { emitCreatedContacts, finishImport, ImportFailedError, importChunk, inspectImport } from "@/lib/imports/run-import";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/** NonRetriableError for problems a retry cannot fix (the import row already says why). */
async function nonRetriable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImportFailedError) throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Imports one uploaded contacts file: inspect it (fatal problems fail the import before any
 * write), then one step per chunk of rows, each a single transaction that also advances the
 * stored cursor — so a crash or retry resumes at the last committed chunk and never writes a
 * row twice. Step outputs are counters and the file's column names, never rows.
 */
export const importContacts = inngest.createFunction(
  {
    id: "import-contacts",
    triggers: [contactImportRequested],
    retries: 5,
    // One import at a time per workspace: chunks of two imports would race on the same contacts.
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
    onFailure: async ({ event, error }) => {
      const { workspaceId, importId } = event.data.event.data;
      const { db } = await getDatabase();
      await failImport(db, { workspaceId, importId, error: `The import stopped: ${publicErrorMessage(error, { where: "import-contacts", workspaceId, importId })}` });
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, importId: event.data.importId };
    const storage = createFileStorage();

    const inspected = await step.run("inspect-file", () => nonRetriable(async () => inspectImport(await getDatabase(), storage, ids)));
    if (inspected.status !== "running" || !("total" in inspected)) return { status: inspected.status };

    for (let n = 0; ; n++) {
      const chunk = await step.run(`import-chunk-${n}`, () =>
        nonRetriable(async () => importChunk(await getDatabase(), storage, { ...ids, n, inspected })),
      );
      if (chunk.done) break;
    }

    const summary = await step.run("finish-import", async () => finishImport(await getDatabase(), storage, ids));

    // Sent from inside steps with ids derived from the contact, not with step.sendEvent: its
    // output (every event id) would put ~36 bytes per contact into the run state — 36 MB for a
    // million contacts, over Inngest's 32 MiB. A retried page re-sends the same ids, which
    // Inngest de-duplicates.
    let afterContactId: string | null = null;
    for (let n = 0; ; n++) {
      const page: { sent: number; lastContactId: string | null } = await step.run(`emit-contacts-created-${n}`, async () =>
        emitCreatedContacts(await getDatabase(), { ...ids, afterContactId }, async (contactIds) => {
          await inngest.send(
            contactIds.map((contactId) => contactCreated.create({ workspaceId: ids.workspaceId, contactId }, { id: `contact-created-${contactId}` })),
          );
        }),
      );
      if (page.sent === 0 || page.lastContactId === null) break;
      afterContactId = page.lastContactId;
    }
    return summary;
  },
);
