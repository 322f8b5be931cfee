import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { backupRequested } from "@/inngest/events";
import { expireBackups } from "@/lib/backups/expire-backups";
import { failBackup, takeBackup } from "@/lib/backups/take-backup";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/**
 * Takes a recorded backup: every app table dumped from one snapshot to file storage (one step:
 * the snapshot is one transaction), then retention deletes expired backups' files. One backup
 * at a time. A step that fails is retried (a re-run rewrites the same files); when retries run
 * out the backup is marked failed.
 */
export const runBackup = inngest.createFunction(
  {
    id: "run-backup",
    triggers: [backupRequested],
    concurrency: [{ limit: 1 }],
    retries: 2,
    onFailure: async ({ event, error }) => {
      await failBackup((await getDatabase()).db, event.data.event.data.backupId, error);
    },
  },
  async ({ event, step }) => {
    const outcome = await step.run("take-backup", async () => {
      const database = await getDatabase();
      return takeBackup(database.db, createFileStorage(), { backupId: event.data.backupId, source: database.kind });
    });
    const expired = await step.run("expire-backups", async () => expireBackups((await getDatabase()).db, createFileStorage(), { now: new Date() }));
    return { ...outcome, expired };
  },
);
