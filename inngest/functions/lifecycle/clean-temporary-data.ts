import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { deleteFinishedImportFiles, expireExports, localStorageRoot, sweepStaleTempFiles } from "@/lib/lifecycle/clean-temporary-data";
import { retentionSettings } from "@/lib/lifecycle/retention-settings";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/** Rows per step when deleting files rows point at; batches per run (the rest waits an hour). */
export const TEMPORARY_BATCH_ROWS = 200;
export const TEMPORARY_MAX_BATCHES = 50;

/**
 * Hourly: deletes the uploaded files of imports that finished, failed or were cancelled more
 * than TEMP_FILE_MAX_AGE_HOURS ago, the files of exports past their expiry (marked `expired`),
 * and stale spool files (partial writes under the local store, S3 download directories). Each
 * part is its own steps, so a storage outage in one retries that part alone; outputs are counts.
 */
export const cleanTemporaryData = inngest.createFunction(
  { id: "clean-temporary-data", triggers: [{ cron: "TZ=UTC 15 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const { tempFileMaxAgeHours } = retentionSettings();
    const totals = { import_upload: { files: 0, bytes: 0 }, export: { files: 0, bytes: 0 } };
    for (let n = 0; n < TEMPORARY_MAX_BATCHES; n++) {
      const batch = await step.run(`delete-import-files-${n}`, async () =>
        deleteFinishedImportFiles((await getDatabase()).db, createFileStorage(), { now: new Date(), maxAgeHours: tempFileMaxAgeHours, limit: TEMPORARY_BATCH_ROWS }),
      );
      totals.import_upload.files += batch.files;
      totals.import_upload.bytes += batch.bytes;
      if (batch.done) break;
    }
    for (let n = 0; n < TEMPORARY_MAX_BATCHES; n++) {
      const batch = await step.run(`expire-exports-${n}`, async () => expireExports((await getDatabase()).db, createFileStorage(), { now: new Date(), limit: TEMPORARY_BATCH_ROWS }));
      totals.export.files += batch.files;
      totals.export.bytes += batch.bytes;
      if (batch.done) break;
    }
    const spool = await step.run("sweep-stale-temp-files", async () =>
      sweepStaleTempFiles({ now: new Date(), maxAgeHours: tempFileMaxAgeHours, storageRoot: localStorageRoot(createFileStorage()) }),
    );
    return { ...totals, ...spool };
  },
);
