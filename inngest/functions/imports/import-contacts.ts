import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { failImport } from "@/db/queries/imports";
import { inngest } from "@/inngest/client";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { contactImportCompleted, contactImportRequested } from "@/inngest/events";
import { finishImport, ImportFailedError, importChunk, inspectImport } from "@/lib/imports/run-import";
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

    // One event for the whole import: enrichment (and anything else that cares) reads the
    // inserted contacts from the database a page at a time. Its id makes a replayed run's send
    // a no-op.
    if (summary.inserted > 0) {
      await step.sendEvent(
        "import-completed",
        contactImportCompleted.create({ ...ids, inserted: summary.inserted }, { id: `import-completed-${ids.importId}` }),
      );
    }
    return summary;
  },
);
