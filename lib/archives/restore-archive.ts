import type { Db } from "@/db";
import { ARCHIVED_TABLES, countArchivedRows, insertArchivedRows } from "@/db/queries/archived-rows";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { clearArchiveContacts, getArchive, transitionArchive } from "@/db/queries/campaign-archives";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FileStorage } from "@/lib/storage/file-storage";
import { ArchiveRefusedError } from "./archive-campaign";
import { type ArchiveFile, batchLines, manifestKey, readVerifiedLines } from "./archive-files";
import { type ArchiveManifest, asManifest, lastKeys, manifestRows } from "./archive-manifest";

/** One INSERT carries at most this much JSON: parts of big outbox copies are put back in several statements. */
export const RESTORE_BATCH_BYTES = 2 * 1024 * 1024;

type Ids = { workspaceId: string; archiveId: string };

/** The manifest of an archive in `restoring`, or null when there is nothing to restore (another run finished it). */
export async function loadRestore(db: Db, ids: Ids): Promise<ArchiveManifest | null> {
  const archive = await getArchive(db, ids);
  if (!archive || archive.status !== "restoring") return null;
  const manifest = asManifest(archive.manifest);
  if (!manifest?.verifiedAt) throw new ArchiveRefusedError("the archive has no verified manifest to restore from");
  return manifest;
}

/**
 * Reads every file and checks its size and both checksums before a single row is inserted: a
 * damaged archive is refused whole, with the file and the mismatch named, and nothing changes.
 */
export async function verifyArchiveFiles(storage: FileStorage, manifest: ArchiveManifest): Promise<{ files: number; rows: number }> {
  for (const file of manifest.files) await readVerifiedLines(storage, file);
  return { files: manifest.files.length, rows: manifestRows(manifest) };
}

/** Inserts one file's rows back (checked again as they are read); rows already there are skipped, so a retried step adds nothing twice. */
export async function restoreArchiveFile(db: Db, storage: FileStorage, params: { archiveId: string; file: ArchiveFile }): Promise<number> {
  const { archiveId, file } = params;
  const lines = await readVerifiedLines(storage, file);
  let inserted = 0;
  for (const batch of batchLines(lines, RESTORE_BATCH_BYTES)) inserted += await insertArchivedRows(db, { archiveId, table: file.table, lines: batch });
  metrics().archiveRows.inc({ table: file.table, direction: "restored" }, inserted);
  metrics().archiveBytes.inc({ direction: "restored" }, file.bytes);
  return inserted;
}

/** Every table holds the campaign's rows the archive had (up to its last key), or the restore is not done. */
export async function checkRestoredCounts(db: Db, manifest: ArchiveManifest): Promise<void> {
  const last = lastKeys(manifest.files);
  for (const table of ARCHIVED_TABLES) {
    const present = await countArchivedRows(db, { workspaceId: manifest.workspaceId, campaignId: manifest.campaignId, table, upToKey: last[table] ?? null });
    if (present !== manifest.tables[table].rows) {
      throw new ArchiveRefusedError(`${table}: ${present} rows in the database after the restore, the archive holds ${manifest.tables[table].rows}`);
    }
  }
}

/**
 * Marks the archive restored, empties its contact index (the rows are in the database again, where
 * an erasure finds them) and deletes its files: the database is the copy of record once more.
 */
export async function finishRestore(db: Db, storage: FileStorage, params: { manifest: ArchiveManifest; requestedBy: string; now: Date }): Promise<boolean> {
  const { manifest } = params;
  const row = await transitionArchive(db, { archiveId: manifest.archiveId, from: ["restoring"], to: "restored", set: { restoredAt: params.now, error: null } });
  if (!row) return false;
  await clearArchiveContacts(db, { archiveId: manifest.archiveId });
  await insertAuditEntry(db, {
    workspaceId: manifest.workspaceId,
    actor: params.requestedBy,
    action: "campaign.restored",
    targetType: "campaign",
    targetId: manifest.campaignId,
    details: { archiveId: manifest.archiveId, rows: manifestRows(manifest), tables: manifest.tables },
  });
  const prefix = row.storagePrefix;
  for (const file of manifest.files) await storage.delete(file.key);
  if (prefix) await storage.delete(manifestKey(prefix));
  metrics().archives.inc({ operation: "restore", outcome: "done" });
  logger.info({ workspaceId: manifest.workspaceId, campaignId: manifest.campaignId, archiveId: manifest.archiveId, rows: manifestRows(manifest) }, "archives: campaign restored");
  return true;
}
