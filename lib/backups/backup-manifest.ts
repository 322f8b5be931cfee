import { z } from "zod";

/** Where a backup's files live: `backups/<id>/manifest` and one `backups/<id>/<table>` per table. */
export const BACKUPS_PREFIX = "backups";
/** Names the newest completed backup, so `--from latest` works with the source database gone. */
export const LATEST_BACKUP_KEY = `${BACKUPS_PREFIX}/latest`;

export const backupPrefix = (backupId: string) => `${BACKUPS_PREFIX}/${backupId.toLowerCase()}`;
export const manifestKey = (backupId: string) => `${backupPrefix(backupId)}/manifest`;
/** Storage keys are lower-case letters, digits and dashes: `audit_log` is stored as `audit-log`. */
export const tableKey = (backupId: string, table: string) => `${backupPrefix(backupId)}/table-${table.replaceAll("_", "-")}`;

export const BACKUP_FORMAT = "sendline-backup/1";

const tableEntry = z.object({
  /** The storage key of the table's gzip JSONL file. */
  file: z.string(),
  rows: z.number().int().nonnegative(),
  /** Uncompressed bytes of the JSONL content, and its sha256 (hex). */
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  gzipBytes: z.number().int().nonnegative(),
  /** The columns each line carries, in table order. */
  columns: z.array(z.string()),
});

export const backupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  backupId: z.uuid(),
  /** The last migration applied when the backup was taken. */
  schemaVersion: z.string(),
  takenAt: z.iso.datetime({ offset: true }),
  /** The database kind it was taken from (pglite, pglite-server, postgres). */
  source: z.string(),
  /** In foreign-key order: a restore loads them in this order. */
  tables: z.array(tableEntry.extend({ name: z.string() })),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;
export type BackupTableEntry = BackupManifest["tables"][number];

export function backupTotals(manifest: BackupManifest): { rows: number; bytes: number; gzipBytes: number } {
  return manifest.tables.reduce((sum, table) => ({ rows: sum.rows + table.rows, bytes: sum.bytes + table.bytes, gzipBytes: sum.gzipBytes + table.gzipBytes }), { rows: 0, bytes: 0, gzipBytes: 0 });
}
