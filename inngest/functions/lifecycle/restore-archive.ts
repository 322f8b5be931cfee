import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { failRestore, getArchive } from "@/db/queries/campaign-archives";
import { inngest } from "@/inngest/client";
import { archiveRestoreRequested } from "@/inngest/events";
import { ArchiveRefusedError, reportArchiveFailure } from "@/lib/archives/archive-campaign";
import { ArchiveChecksumError } from "@/lib/archives/archive-files";
import { checkRestoredCounts, finishRestore, loadRestore, restoreArchiveFile, verifyArchiveFiles } from "@/lib/archives/restore-archive";
import { createFileStorage } from "@/lib/storage/create-file-storage";

const refuse = (error: unknown): never => {
  if (error instanceof ArchiveRefusedError || error instanceof ArchiveChecksumError) throw new NonRetriableError(error.message);
  throw error;
};

/**
 * Puts an archived campaign's rows back, exactly (same ids, timestamps and values): every file is
 * checked against the manifest's sizes and checksums before the first row goes in, so a damaged
 * archive is refused whole and nothing changes; then one step per file inserts its rows (a re-run
 * skips rows already there), the counts are checked, and the archive is marked restored and its
 * files deleted. One run per archive at a time (and archive-campaign never runs on a `restoring` one).
 */
export const restoreArchive = inngest.createFunction(
  {
    id: "restore-archive",
    triggers: [archiveRestoreRequested],
    concurrency: [{ key: "event.data.archiveId", limit: 1 }],
    retries: 4,
    onFailure: async ({ event, error }) => {
      const ids = event.data.event.data;
      await failRestore((await getDatabase()).db, { archiveId: ids.archiveId, error: error.message });
      reportArchiveFailure({ ...ids, operation: "restore", error: error.message });
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, archiveId: event.data.archiveId };
    const manifest = await step.run("load-manifest", async () => loadRestore((await getDatabase()).db, ids).catch(refuse));
    if (!manifest) return { skipped: "no restore in progress with this id in this workspace" };

    await step.run("verify-files", async () => verifyArchiveFiles(createFileStorage(), manifest).catch(refuse));

    let inserted = 0;
    for (const file of manifest.files) {
      inserted += await step.run(`restore-${file.table}-${file.part}`, async () => restoreArchiveFile((await getDatabase()).db, createFileStorage(), { archiveId: ids.archiveId, file }).catch(refuse));
    }

    await step.run("check-counts", async () => checkRestoredCounts((await getDatabase()).db, manifest).catch(refuse));

    return step.run("mark-restored", async () => {
      const db = (await getDatabase()).db;
      const current = await getArchive(db, ids);
      const done = await finishRestore(db, createFileStorage(), { manifest, requestedBy: current?.requestedBy ?? "schedule", now: new Date() });
      return { archiveId: ids.archiveId, restored: done, inserted };
    });
  },
);
