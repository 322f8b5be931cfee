import { Readable } from "node:stream";
import type { Db } from "@/db";
import { listAppTables, pinDumpSession, readDumpBatch, type TableShape } from "@/db/queries/database-dump";
import { schemaVersion } from "@/db/queries/schema-version";
import type { FileStorage } from "@/lib/storage/file-storage";
import { putGzipped } from "@/lib/storage/put-gzipped";
import { BACKUP_FORMAT, LATEST_BACKUP_KEY, manifestKey, tableKey, type BackupManifest, type BackupTableEntry } from "./backup-manifest";
import { foreignKeyOrder } from "./table-order";

/** Rows per keyset read: a batch of JSON text stays a few MB at most. */
export const DUMP_BATCH_ROWS = 1000;

/** A table's rows as JSONL chunks (one batch each), in key order: what a backup stores and a restore's check recomputes. */
export async function* dumpLines(tx: Db, table: TableShape, batchRows = DUMP_BATCH_ROWS): AsyncGenerator<{ chunk: Buffer; rows: number }> {
  let after: string[] | null = null;
  for (let offset = 0; ; offset += batchRows) {
    const batch = await readDumpBatch(tx, table, after, offset, batchRows);
    if (batch.lines.length === 0) return;
    yield { chunk: Buffer.from(batch.lines.join("\n") + "\n", "utf8"), rows: batch.lines.length };
    if (batch.lines.length < batchRows) return;
    after = batch.last;
  }
}

/** Streams one table's rows, in key order, through gzip into storage (lib/storage/put-gzipped.ts), counting the rows on the way. */
async function dumpTable(tx: Db, storage: FileStorage, backupId: string, table: TableShape, batchRows: number): Promise<BackupTableEntry> {
  let rows = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const batch of dumpLines(tx, table, batchRows)) {
      rows += batch.rows;
      yield batch.chunk;
    }
  }
  const file = tableKey(backupId, table.name);
  const written = await putGzipped(storage, file, chunks());
  return { name: table.name, file, rows, bytes: written.contentBytes, sha256: written.contentSha256, gzipBytes: written.stored.bytes, columns: table.allColumns };
}

/**
 * A logical backup: every app table as gzip JSONL, one file each, and a manifest, all read in
 * one REPEATABLE READ, read-only transaction, so the files are one consistent snapshot however
 * long it takes and whatever is written meanwhile. On success the `latest` pointer names it.
 */
export async function dumpDatabase(
  db: Db,
  storage: FileStorage,
  params: { backupId: string; source: string; takenAt: Date; batchRows?: number },
): Promise<BackupManifest> {
  const manifest = await db.transaction(
    async (tx) => {
      await pinDumpSession(tx);
      const version = await schemaVersion(tx);
      if (!version.applied) throw new Error("the database has no migrations applied: nothing to back up");
      const tables: BackupTableEntry[] = [];
      for (const table of foreignKeyOrder(await listAppTables(tx))) tables.push(await dumpTable(tx, storage, params.backupId, table, params.batchRows ?? DUMP_BATCH_ROWS));
      return { format: BACKUP_FORMAT, backupId: params.backupId, schemaVersion: version.applied, takenAt: params.takenAt.toISOString(), source: params.source, tables } satisfies BackupManifest;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  await storage.put(manifestKey(params.backupId), Readable.from([Buffer.from(JSON.stringify(manifest, null, 2), "utf8")]));
  await storage.put(LATEST_BACKUP_KEY, Readable.from([Buffer.from(params.backupId, "utf8")]));
  return manifest;
}
