import type { Db } from "@/db";
import { failBackup, requestBackup } from "@/lib/backups/take-backup";
import type { BackupActionState } from "./backup-action-state";

/**
 * "Back up now": records a manual backup (audited on the global chain as the dashboard's) and
 * asks run-backup to take it. When the request cannot be queued the backup is marked failed at
 * once, so the list never shows one running that nothing will take.
 */
export async function startBackupFromDashboard(db: Db, send: (backupId: string) => Promise<void>): Promise<BackupActionState> {
  const backup = await requestBackup(db, { trigger: "manual", actor: "dashboard" });
  try {
    await send(backup.id);
  } catch (error) {
    await failBackup(db, backup.id, new Error(`could not be queued: ${(error as Error).message}`));
    return { ok: false, message: "The backup could not be queued: check the Inngest server, or run `npm run backup` on the server." };
  }
  return { ok: true, message: `Backup ${backup.id.slice(0, 8)} started: it appears below when done.` };
}
