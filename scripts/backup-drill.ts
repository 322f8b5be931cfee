/**
 * npm run backup:drill [-- --postgres <admin url>] — the restore drill. Seeds a scratch
 * database with rows of every kind, backs it up to a scratch file store, restores into a
 * second, fresh database, and checks every table's row count and checksum against the
 * manifest and against the source, row for row. Exits non-zero on any mismatch. On PGlite by
 * default; with --postgres, both databases are created on that server and dropped afterwards.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Database } from "@/db";
import { listAppTables } from "@/db/queries/database-dump";
import { dumpDatabase } from "@/lib/backups/dump-database";
import { readBackupManifest, restoreBackup, verifyAgainstManifest } from "@/lib/backups/restore-backup";
import { restoreSummary } from "@/lib/backups/restore-summary";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { seedEveryKind } from "@/test/support/backup-seed";
import { createServerDatabase } from "@/test/support/database";
import { openDatabase } from "@/db";
import { cliArgs } from "./cli-args";

const args = cliArgs({ postgres: { type: "string" } });
const started = Date.now();
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-backup-drill-"));
const opened: Database[] = [];

/** The source (migrated) in memory; the restore's target in a PGlite directory, as `backup:restore --to <dir>` makes one. */
async function scratchDatabase(migrate: boolean): Promise<Database> {
  const database = args.postgres ? await createServerDatabase(args.postgres, { migrate }) : openDatabase({ pgliteDir: migrate ? "memory://" : path.join(scratch, "restored") });
  opened.push(database);
  if (migrate && !args.postgres) await database.migrate();
  return database;
}

let failed = false;
try {
  const source = await scratchDatabase(true);
  await seedEveryKind(source.db);
  const storage = new LocalFileStorage(path.join(scratch, "files"));
  const backupId = randomUUID();
  const manifest = await dumpDatabase(source.db, storage, { backupId, source: source.kind, takenAt: new Date() });
  const filled = manifest.tables.filter((table) => table.rows > 0);
  console.log(`Backed up ${manifest.tables.length} tables (${filled.length} with rows, ${filled.reduce((sum, table) => sum + table.rows, 0)} rows) from ${args.postgres ? "PostgreSQL" : "PGlite"}.`);

  const target = await scratchDatabase(false);
  const report = await restoreBackup(target, storage, await readBackupManifest(storage, "latest"));
  for (const line of restoreSummary(report)) console.log(line);
  // The source, read again, matches the manifest too: the restored database holds the same rows.
  const sourceChecks = await verifyAgainstManifest(source.db, manifest);
  const sourceBad = sourceChecks.filter((check) => !check.ok);
  if (sourceBad.length > 0) console.log(`The source no longer matches its backup: ${sourceBad.map((check) => check.name).join(", ")}`);
  const missing = (await listAppTables(source.db)).filter((table) => !manifest.tables.some((entry) => entry.name === table.name));
  if (missing.length > 0) console.log(`Tables missing from the backup: ${missing.map((table) => table.name).join(", ")}`);
  failed = !report.ok || sourceBad.length > 0 || missing.length > 0 || filled.length === 0;
} catch (error) {
  console.error(`Drill failed: ${(error as Error).stack ?? String(error)}`);
  failed = true;
} finally {
  for (const database of opened) await database.close().catch(() => {});
  await fs.rm(scratch, { recursive: true, force: true });
}
console.log(`Restore drill ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
process.exit(failed ? 1 : 0);
