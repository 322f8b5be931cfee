import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { expiredBackups, latestCompletedBackup, markBackupExpired } from "@/db/queries/backups";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FileStorage } from "@/lib/storage/file-storage";
import { backupManifestSchema } from "./backup-manifest";
import { deleteBackupFiles } from "./take-backup";

/** Backups expired per call; the next run takes the rest. */
export const EXPIRE_BATCH = 50;

/**
 * Retention: completed backups past their `expires_at` (`now`, the app's clock) lose their
 * files and are marked `expired`; the newest completed backup is always kept. Returns the ids.
 */
export async function expireBackups(db: Db, storage: FileStorage, params: { now: Date; limit?: number }): Promise<string[]> {
  const keep = await latestCompletedBackup(db);
  const expired = await expiredBackups(db, { now: params.now, keepId: keep?.id ?? null, limit: params.limit ?? EXPIRE_BATCH });
  for (const backup of expired) {
    const manifest = backupManifestSchema.safeParse(backup.manifest);
    await deleteBackupFiles(storage, backup.id, manifest.success ? manifest.data.tables.map((table) => table.name) : []);
    await markBackupExpired(db, backup.id, { at: params.now });
    await insertAuditEntry(db, { workspaceId: null, actor: "function:run-backup", action: "backup.expired", targetType: "backup", targetId: backup.id, details: { startedAt: backup.startedAt.toISOString() } });
    metrics().backups.inc({ outcome: "expired" });
    logger.info({ backupId: backup.id, startedAt: backup.startedAt }, "backup: expired, files deleted");
  }
  return expired.map((backup) => backup.id);
}
