import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { ARCHIVED_TABLES } from "@/db/queries/archived-rows";
import { failArchive, getArchive } from "@/db/queries/campaign-archives";
import { inngest } from "@/inngest/client";
import { archiveRequested } from "@/inngest/events";
import { ArchiveRefusedError, deleteArchivedChunk, finishArchive, reportArchiveFailure, startArchive, verifyArchive, writeArchivePart } from "@/lib/archives/archive-campaign";
import { ArchiveChecksumError, type ArchiveFile } from "@/lib/archives/archive-files";
import { archivePartRows, MAX_ARCHIVE_FILES } from "@/lib/archives/archive-settings";
import { createFileStorage } from "@/lib/storage/create-file-storage";

const refuse = (error: unknown): never => {
  if (error instanceof ArchiveRefusedError || error instanceof ArchiveChecksumError) throw new NonRetriableError(error.message);
  throw error;
};

/**
 * Moves a campaign's rows to cold storage: one step per file (a keyset chunk of one table, written
 * to a key named by its part, so a retried step rewrites its own file), then one step reads every
 * file back against the manifest and the database's counts, and only after that do steps delete
 * the rows, a chunk each, messages last. A crash anywhere resumes from the last finished step;
 * nothing is deleted before it is verified in storage. One run per archive at a time.
 */
export const archiveCampaign = inngest.createFunction(
  {
    id: "archive-campaign",
    triggers: [archiveRequested],
    concurrency: [{ key: "event.data.archiveId", limit: 1 }],
    retries: 4,
    onFailure: async ({ event, error }) => {
      const ids = event.data.event.data;
      await failArchive((await getDatabase()).db, { archiveId: ids.archiveId, error: error.message });
      reportArchiveFailure({ ...ids, operation: "archive", error: error.message });
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, archiveId: event.data.archiveId };
    const started = await step.run("start-manifest", async () => startArchive((await getDatabase()).db, ids, new Date()).catch(refuse));
    if (!started) return { skipped: "no archive in progress with this id in this workspace" };
    const { archive, manifest } = started;
    const prefix = archive.storagePrefix!;
    const limit = archivePartRows();

    const files: ArchiveFile[] = [];
    for (const table of ARCHIVED_TABLES) {
      let afterKey: string | null = null;
      for (let part = 1; ; part += 1) {
        if (files.length >= MAX_ARCHIVE_FILES) throw new NonRetriableError(`the campaign needs more than ${MAX_ARCHIVE_FILES} archive files at ${limit} rows each: raise ARCHIVE_PART_ROWS`);
        const file: ArchiveFile | null = await step.run(`write-${table}-${part}`, async () =>
          writeArchivePart((await getDatabase()).db, createFileStorage(), { workspaceId: archive.workspaceId, campaignId: archive.campaignId, prefix, table, part, afterKey, limit }),
        );
        if (!file) break;
        files.push(file);
        afterKey = file.lastKey;
        if (file.rows < limit) break;
      }
    }

    const verified = await step.run("verify-files", async () => verifyArchive((await getDatabase()).db, createFileStorage(), { prefix, manifest, files, now: new Date() }).catch(refuse));

    for (const table of [...ARCHIVED_TABLES].reverse()) {
      for (let chunk = 1; ; chunk += 1) {
        const deleted = await step.run(`delete-${table}-${chunk}`, async () => deleteArchivedChunk((await getDatabase()).db, { manifest: verified, table, limit }).catch(refuse));
        if (deleted < limit) break;
      }
    }

    return step.run("mark-archived", async () => {
      const db = (await getDatabase()).db;
      const current = await getArchive(db, ids);
      const done = await finishArchive(db, { manifest: verified, requestedBy: current?.requestedBy ?? "schedule", now: new Date() });
      return { archiveId: ids.archiveId, archived: done, files: verified.files.length, tables: verified.tables };
    });
  },
);
