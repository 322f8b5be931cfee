import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Db } from "@/db";
import { listExpiredExports, listImportFilesToDelete, markExportsExpired, markImportFilesDeleted } from "@/db/queries/temporary-data";
import type { FileStorage } from "@/lib/storage/file-storage";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * The hourly cleanup of temporary data (clean-temporary-data): uploaded import files once their
 * import is over, expired exports, and the spool and partial files a crashed process left behind.
 * Each part answers what it removed (files and bytes), counts it in the metrics and logs it.
 */

export const TEMPORARY_KINDS = ["import_upload", "export", "storage_partial", "s3_download"] as const;
export type TemporaryKind = (typeof TEMPORARY_KINDS)[number];
export type Removed = { files: number; bytes: number };

const HOUR_MS = 3_600_000;

function report(kind: TemporaryKind, removed: Removed, extra: Record<string, unknown> = {}): Removed {
  if (removed.files > 0) {
    metrics().temporaryFilesRemoved.inc({ kind }, removed.files);
    metrics().temporaryBytesRemoved.inc({ kind }, removed.bytes);
  }
  logger.info({ kind, files: removed.files, bytes: removed.bytes, ...extra }, "temporary data: removed");
  return removed;
}

/**
 * One batch of finished, failed or cancelled imports older than `maxAgeHours` whose uploaded file
 * is still stored: the file is deleted (missing is fine), then the row marked, so a crash between
 * the two only deletes again. A failed import's file goes too: past the age, nobody resumes it.
 */
export async function deleteFinishedImportFiles(db: Db, storage: FileStorage, params: { now: Date; maxAgeHours: number; limit: number }): Promise<Removed & { done: boolean }> {
  const rows = await listImportFilesToDelete(db, { finishedBefore: new Date(params.now.getTime() - params.maxAgeHours * HOUR_MS), limit: params.limit });
  for (const row of rows) await storage.delete(row.fileKey);
  await markImportFilesDeleted(db, { importIds: rows.map((row) => row.id), at: params.now });
  const removed = report("import_upload", { files: rows.length, bytes: rows.reduce((sum, row) => sum + row.bytes, 0) });
  return { ...removed, done: rows.length < params.limit };
}

/** One batch of ready exports past `expires_at`: the file is deleted and the row marked `expired` (its link then answers gone). */
export async function expireExports(db: Db, storage: FileStorage, params: { now: Date; limit: number }): Promise<Removed & { done: boolean }> {
  const rows = await listExpiredExports(db, { now: params.now, limit: params.limit });
  for (const row of rows) if (row.storageKey) await storage.delete(row.storageKey);
  await markExportsExpired(db, { exportIds: rows.map((row) => row.id) });
  const stored = rows.filter((row) => row.storageKey);
  const removed = report("export", { files: stored.length, bytes: stored.reduce((sum, row) => sum + (row.bytes ?? 0), 0) });
  return { ...removed, done: rows.length < params.limit };
}

/** `<key>.partial-<hex>`: LocalFileStorage's write-then-rename file, left behind only when a process died mid-write. */
const PARTIAL_FILE = /\.partial-[0-9a-f]{8}$/;
/** S3FileStorage.withLocalPath's download directory, left behind only when a process died mid-read. */
export const S3_DOWNLOAD_PREFIX = "sendline-s3-get-";

async function sizeOf(target: string): Promise<number> {
  const stat = await fs.lstat(target).catch(() => null);
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of await fs.readdir(target).catch(() => [])) total += await sizeOf(path.join(target, entry));
  return total;
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Stale spool files: partial writes under the local file store's root and S3 download
 * directories in the system temp directory, last modified before `now − maxAgeHours` (a live
 * write or read touches its file far more often than that). Missing directories are fine.
 */
export async function sweepStaleTempFiles(params: {
  now: Date;
  maxAgeHours: number;
  /** The local file store's root; null when files live in S3 (nothing partial is written locally then). */
  storageRoot: string | null;
  tempDir?: string;
}): Promise<Record<"storage_partial" | "s3_download", Removed>> {
  const cutoff = params.now.getTime() - params.maxAgeHours * HOUR_MS;
  const partial: Removed = { files: 0, bytes: 0 };
  if (params.storageRoot) {
    for await (const file of walk(params.storageRoot)) {
      if (!PARTIAL_FILE.test(file)) continue;
      const stat = await fs.stat(file).catch(() => null);
      if (!stat || stat.mtimeMs >= cutoff) continue;
      await fs.rm(file, { force: true });
      partial.files += 1;
      partial.bytes += stat.size;
    }
  }
  const downloads: Removed = { files: 0, bytes: 0 };
  const tempDir = params.tempDir ?? os.tmpdir();
  for (const entry of await fs.readdir(tempDir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || !entry.name.startsWith(S3_DOWNLOAD_PREFIX)) continue;
    const dir = path.join(tempDir, entry.name);
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat || stat.mtimeMs >= cutoff) continue;
    const bytes = await sizeOf(dir);
    await fs.rm(dir, { recursive: true, force: true });
    downloads.files += 1;
    downloads.bytes += bytes;
  }
  return { storage_partial: report("storage_partial", partial), s3_download: report("s3_download", downloads) };
}

/** The local store's root when files are stored locally, else null. */
export const localStorageRoot = (storage: FileStorage): string | null => (storage instanceof LocalFileStorage ? storage.root : null);
