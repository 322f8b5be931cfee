import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { findBackup, finishBackup, insertBackup, type Backup } from "@/db/queries/backups";
import { listAppTables } from "@/db/queries/database-dump";
import { envValue } from "@/core/config/env";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FileStorage } from "@/lib/storage/file-storage";
import { backupPrefix, backupTotals, manifestKey, tableKey, type BackupManifest } from "./backup-manifest";
import { dumpDatabase } from "./dump-database";

const DAY_MS = 86_400_000;

/** Records a backup to be taken (the schedule, the dashboard, the CLI); `run-backup` or the CLI then takes it. */
export async function requestBackup(db: Db, params: { trigger: "schedule" | "manual"; actor: string; now?: Date }): Promise<Backup> {
  const backup = await insertBackup(db, { trigger: params.trigger, startedAt: params.now ?? new Date() });
  await insertAuditEntry(db, { workspaceId: null, actor: params.actor, action: "backup.requested", targetType: "backup", targetId: backup.id, details: { trigger: params.trigger } });
  return backup;
}

export type BackupOutcome =
  | { status: "completed"; backupId: string; rows: number; bytes: number; gzipBytes: number; tables: number; durationMs: number; schemaVersion: string }
  | { status: "skipped"; backupId: string; reason: string };

/**
 * Takes a recorded backup: dumps the database to storage (dump-database.ts), then marks the row
 * completed with its manifest and its expiry (BACKUP_RETENTION_DAYS from now), audits it on
 * the global chain and counts it. A row that is not `running` (finished, or failed by a run
 * that gave up) is left alone. A failure deletes what was written and is rethrown: the caller
 * retries, or gives up with `failBackup`.
 */
export async function takeBackup(db: Db, storage: FileStorage, params: { backupId: string; source: string; batchRows?: number }): Promise<BackupOutcome> {
  const backup = await findBackup(db, params.backupId);
  if (!backup) return { status: "skipped", backupId: params.backupId, reason: "no such backup" };
  if (backup.status !== "running") return { status: "skipped", backupId: params.backupId, reason: `the backup is ${backup.status}` };
  const started = Date.now();
  let manifest: BackupManifest;
  try {
    manifest = await dumpDatabase(db, storage, { backupId: backup.id, source: params.source, takenAt: new Date(), batchRows: params.batchRows });
  } catch (error) {
    await deleteBackupFiles(storage, backup.id, (await listAppTables(db).catch(() => [])).map((table) => table.name));
    throw error;
  }
  const durationMs = Date.now() - started;
  const totals = backupTotals(manifest);
  const finishedAt = new Date();
  await finishBackup(db, backup.id, {
    status: "completed",
    storagePrefix: backupPrefix(backup.id),
    manifest: manifest as unknown as Record<string, unknown>,
    bytes: totals.gzipBytes,
    finishedAt,
    expiresAt: new Date(finishedAt.getTime() + envValue("BACKUP_RETENTION_DAYS") * DAY_MS),
  });
  const summary = { tables: manifest.tables.length, rows: totals.rows, bytes: totals.bytes, gzipBytes: totals.gzipBytes, durationMs, schemaVersion: manifest.schemaVersion };
  await insertAuditEntry(db, { workspaceId: null, actor: "function:run-backup", action: "backup.completed", targetType: "backup", targetId: backup.id, details: summary });
  const m = metrics();
  m.backups.inc({ outcome: "completed" });
  m.backupBytes.inc(totals.gzipBytes);
  m.backupDuration.observe(durationMs / 1000);
  logger.info({ backupId: backup.id, trigger: backup.trigger, ...summary }, "backup: completed");
  return { status: "completed", backupId: backup.id, ...summary };
}

/** Gives up on a backup (its retries ran out): failed, with why; audited and counted. */
export async function failBackup(db: Db, backupId: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  if (!(await finishBackup(db, backupId, { status: "failed", error: message.slice(0, 1000), finishedAt: new Date() }))) return;
  await insertAuditEntry(db, { workspaceId: null, actor: "function:run-backup", action: "backup.failed", targetType: "backup", targetId: backupId, details: { error: message.slice(0, 200) } });
  metrics().backups.inc({ outcome: "failed" });
  logger.error({ backupId, err: error }, "backup: failed");
}

/** Removes a backup's files: its manifest first (a backup without one is never restored), then each table's. */
export async function deleteBackupFiles(storage: FileStorage, backupId: string, tables: readonly string[]): Promise<void> {
  await storage.delete(manifestKey(backupId));
  for (const table of tables) await storage.delete(tableKey(backupId, table));
}
