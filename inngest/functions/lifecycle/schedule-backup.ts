import { envValue } from "@/core/config/env";
import { getDatabase } from "@/db";
import { failStaleBackups } from "@/db/queries/backups";
import { backupRequestedEvent } from "@/inngest/backup-event";
import { inngest } from "@/inngest/client";
import { requestBackup } from "@/lib/backups/take-backup";

/** A backup still `running` this long after it started was abandoned (its run crashed past its retries). */
export const STALE_BACKUP_HOURS = 12;

/**
 * On BACKUP_CRON (daily by default): fails backups abandoned mid-way, records a new one and asks
 * run-backup to take it.
 */
export const scheduleBackup = inngest.createFunction(
  { id: "schedule-backup", triggers: [{ cron: envValue("BACKUP_CRON") }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const backupId = await step.run("record-backup", async () => {
      const { db } = await getDatabase();
      const now = new Date();
      await failStaleBackups(db, { before: new Date(now.getTime() - STALE_BACKUP_HOURS * 3_600_000), at: now });
      return (await requestBackup(db, { trigger: "schedule", actor: "function:schedule-backup", now })).id;
    });
    await step.sendEvent("request-backup", backupRequestedEvent(backupId));
    return { backupId };
  },
);
