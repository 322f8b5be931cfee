import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { MIGRATIONS_DIR, type Database, type Db } from "@/db";
import { listAppTables, loadDumpRows, nonEmptyAppTables, pinDumpSession, resetOwnedSequences, type TableShape } from "@/db/queries/database-dump";
import { finishBackup } from "@/db/queries/backups";
import { schemaVersion } from "@/db/queries/schema-version";
import { envValue } from "@/core/config/env";
import type { FileStorage } from "@/lib/storage/file-storage";
import { StorageError } from "@/lib/storage/storage-error";
import journal from "@/db/migrations/meta/_journal.json";
import { backupManifestSchema, backupPrefix, backupTotals, LATEST_BACKUP_KEY, manifestKey, type BackupManifest, type BackupTableEntry } from "./backup-manifest";
import { dumpLines } from "./dump-database";

/** A restore that cannot go on, with a message meant for the operator (the CLI prints it as is). */
export class RestoreError extends Error {
  override name = "RestoreError";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readText(storage: FileStorage, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.openRead(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A backup's manifest by id, or the newest completed backup's for "latest"; read from storage alone (the source database may be gone). */
export async function readBackupManifest(storage: FileStorage, from: string): Promise<BackupManifest> {
  try {
    const backupId = from === "latest" ? (await readText(storage, LATEST_BACKUP_KEY)).trim() : from;
    if (!UUID.test(backupId)) throw new RestoreError(`"${from}" is not a backup id: pass the id of a completed backup, or "latest"`);
    const parsed = backupManifestSchema.safeParse(JSON.parse(await readText(storage, manifestKey(backupId))));
    if (!parsed.success) throw new RestoreError(`backup ${backupId}: the manifest is not a Sendline backup manifest (${parsed.error.issues[0]?.message})`);
    return parsed.data;
  } catch (error) {
    if (error instanceof StorageError && error.kind === "not-found") {
      throw new RestoreError(from === "latest" ? "no completed backup found in file storage" : `no completed backup ${from} in file storage (its manifest is missing)`);
    }
    throw error;
  }
}

/**
 * A table file's lines in batches, decompressed as they stream in; at the end its rows and the
 * sha256 of its content must match the manifest, or the restore stops (and its transaction
 * rolls back): a truncated, corrupted or swapped file never loads silently.
 */
async function* verifiedLines(storage: FileStorage, entry: BackupTableEntry, batchRows: number): AsyncGenerator<string[]> {
  const hash = createHash("sha256");
  let rows = 0;
  let pending = "";
  let batch: string[] = [];
  const gunzip = (await storage.openRead(entry.file)).pipe(createGunzip());
  try {
    for await (const chunk of gunzip) {
      hash.update(chunk as Buffer);
      pending += (chunk as Buffer).toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        batch.push(line);
        rows += 1;
        if (batch.length >= batchRows) {
          yield batch;
          batch = [];
        }
      }
    }
  } catch (error) {
    throw new RestoreError(`${entry.name}: the backup file could not be read (${(error as Error).message}); the backup is damaged`, { cause: error });
  }
  const sha256 = hash.digest("hex");
  if (pending !== "" || rows !== entry.rows || sha256 !== entry.sha256) {
    throw new RestoreError(`${entry.name}: the backup file does not match its manifest (rows ${rows} vs ${entry.rows}, sha256 ${sha256.slice(0, 12)}… vs ${entry.sha256.slice(0, 12)}…); the backup is damaged`);
  }
  if (batch.length > 0) yield batch;
}

/** Migrations up to and including `tag`, as a folder drizzle's migrator reads (a truncated journal beside the same SQL files). */
async function migrationsUpTo(tag: string): Promise<string> {
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  if (at < 0) throw new RestoreError(`the backup was taken at schema version ${tag}, which this code does not know: restore it with the version of Sendline that took it, or a newer one`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-restore-migrations-"));
  await fs.mkdir(path.join(dir, "meta"));
  await fs.writeFile(path.join(dir, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at + 1) }));
  for (const entry of journal.entries.slice(0, at + 1)) await fs.copyFile(path.join(MIGRATIONS_DIR, `${entry.tag}.sql`), path.join(dir, `${entry.tag}.sql`));
  return dir;
}

export type TableCheck = { name: string; rows: number; expectedRows: number; sha256: string; expectedSha256: string; ok: boolean };
export type RestoreReport = { backupId: string; schemaVersion: string; tables: TableCheck[]; sequences: number; ok: boolean };

/** Every table of the manifest dumped again from `db` and compared with it: rows and checksum. */
export async function verifyAgainstManifest(db: Db, manifest: BackupManifest): Promise<TableCheck[]> {
  return db.transaction(
    async (tx) => {
      await pinDumpSession(tx);
      const shapes = new Map((await listAppTables(tx)).map((table) => [table.name, table]));
      const checks: TableCheck[] = [];
      for (const entry of manifest.tables) {
        const shape = shapes.get(entry.name);
        const hash = createHash("sha256");
        let rows = 0;
        if (shape) {
          for await (const batch of dumpLines(tx, shape)) {
            hash.update(batch.chunk);
            rows += batch.rows;
          }
        }
        const sha256 = shape ? hash.digest("hex") : "missing";
        checks.push({ name: entry.name, rows, expectedRows: entry.rows, sha256, expectedSha256: entry.sha256, ok: rows === entry.rows && sha256 === entry.sha256 });
      }
      return checks;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export const RESTORE_BATCH_ROWS = 500;

/**
 * Restores a backup into a fresh database: refuses one that holds any row; migrates it to the
 * backup's schema version; loads every table in foreign-key order in one transaction (all or
 * nothing), each file checked against the manifest as it streams; moves the sequences past the
 * restored ids; verifies every table's rows and checksum; then applies the migrations newer
 * than the backup, if any.
 */
export async function restoreBackup(target: Database, storage: FileStorage, manifest: BackupManifest, options: { log?: (line: string) => void; batchRows?: number } = {}): Promise<RestoreReport> {
  const log = options.log ?? (() => {});
  const occupied = await nonEmptyAppTables(target.db);
  if (occupied.length > 0) {
    throw new RestoreError(`the target database is not empty (${occupied.length} table(s) hold rows: ${occupied.slice(0, 5).join(", ")}${occupied.length > 5 ? ", …" : ""}); restore only into a fresh database`);
  }
  const applied = (await schemaVersion(target.db)).applied;
  const tags = journal.entries.map((entry) => entry.tag);
  if (applied && tags.indexOf(applied) > tags.indexOf(manifest.schemaVersion)) {
    throw new RestoreError(`the target database is already migrated past the backup's schema version (${applied} > ${manifest.schemaVersion}); restore into a fresh database`);
  }
  const folder = await migrationsUpTo(manifest.schemaVersion);
  try {
    await target.migrate(folder);
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
  log(`migrated the target to ${manifest.schemaVersion}`);

  const sequences = await target.db.transaction(async (tx) => {
    const shapes = new Map<string, TableShape>((await listAppTables(tx)).map((table) => [table.name, table]));
    for (const entry of manifest.tables) {
      const shape = shapes.get(entry.name);
      if (!shape || shape.allColumns.join(",") !== entry.columns.join(",")) {
        throw new RestoreError(`${entry.name}: the target's table does not have the backup's columns at ${manifest.schemaVersion}`);
      }
      for await (const lines of verifiedLines(storage, entry, options.batchRows ?? RESTORE_BATCH_ROWS)) await loadDumpRows(tx, shape, lines);
      log(`loaded ${entry.name}: ${entry.rows} rows`);
    }
    return resetOwnedSequences(tx);
  });

  const tables = await verifyAgainstManifest(target.db, manifest);
  await target.migrate();
  // The snapshot caught this backup's own row mid-run; restored from it, it evidently completed.
  const totals = backupTotals(manifest);
  await finishBackup(target.db, manifest.backupId, {
    status: "completed",
    storagePrefix: backupPrefix(manifest.backupId),
    manifest: manifest as unknown as Record<string, unknown>,
    bytes: totals.gzipBytes,
    finishedAt: new Date(manifest.takenAt),
    expiresAt: new Date(Date.parse(manifest.takenAt) + envValue("BACKUP_RETENTION_DAYS") * 86_400_000),
  });
  return { backupId: manifest.backupId, schemaVersion: manifest.schemaVersion, tables, sequences, ok: tables.every((table) => table.ok) };
}
