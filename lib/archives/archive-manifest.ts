import { ARCHIVED_TABLES, type ArchivedTable } from "@/db/queries/archived-rows";
import type { ArchiveFile } from "./archive-files";

export const ARCHIVE_FORMAT = "sendline-archive/1";

export type ArchiveProgress = { audience: number; sent: number; suppressed: number; failed: number };

/**
 * What an archive holds, stored on its row (`campaign_archives.manifest`) and as `manifest` beside
 * its files. `progress` is the campaign's recipient counts when it was archived: with the
 * recipients in cold storage they are what the campaign's pages and its seals' drift read.
 */
export type ArchiveManifest = {
  format: typeof ARCHIVE_FORMAT;
  archiveId: string;
  workspaceId: string;
  campaignId: string;
  /** The newest migration applied when the rows were read: the shape of every line. */
  schemaVersion: string | null;
  createdAt: string;
  progress: ArchiveProgress;
  files: ArchiveFile[];
  tables: Record<ArchivedTable, { rows: number; bytes: number; files: number }>;
  /** Set once every file was read back and matched, and the database's counts matched the files: only then are rows deleted. */
  verifiedAt: string | null;
  /** Each time a contact's rows were removed from the files (an erasure): when and how many rows, never who. */
  scrubs: { at: string; rows: number }[];
};

export function tableTotals(files: readonly ArchiveFile[]): ArchiveManifest["tables"] {
  const totals = Object.fromEntries(ARCHIVED_TABLES.map((table) => [table, { rows: 0, bytes: 0, files: 0 }])) as ArchiveManifest["tables"];
  for (const file of files) {
    totals[file.table].rows += file.rows;
    totals[file.table].bytes += file.bytes;
    totals[file.table].files += 1;
  }
  return totals;
}

export const manifestBytes = (manifest: Pick<ArchiveManifest, "files">) => manifest.files.reduce((sum, file) => sum + file.bytes, 0);
export const manifestRows = (manifest: Pick<ArchiveManifest, "files">) => manifest.files.reduce((sum, file) => sum + file.rows, 0);

/** The last key archived per table: deletes and count checks stop there. */
export function lastKeys(files: readonly ArchiveFile[]): Partial<Record<ArchivedTable, string>> {
  const last: Partial<Record<ArchivedTable, string>> = {};
  for (const file of files) if (file.lastKey !== null) last[file.table] = file.lastKey;
  return last;
}

/** A manifest read back from jsonb, or null when the archive never got one. */
export function asManifest(value: unknown): ArchiveManifest | null {
  return value && typeof value === "object" && (value as { format?: unknown }).format === ARCHIVE_FORMAT ? (value as ArchiveManifest) : null;
}
