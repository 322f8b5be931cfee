/**
 * npm run backup:restore -- --from <backup id | latest> --to <postgres url | pglite dir>
 * Restores a backup from file storage into a FRESH database (one with any row is refused):
 * migrates it to the backup's schema version, loads every table in foreign-key order, resets
 * the sequences, verifies each table's row count and checksum against the manifest, prints the
 * result, then applies newer migrations. Exits 1 when anything does not match.
 */
import path from "node:path";
import { openDatabase } from "@/db";
import { readBackupManifest, restoreBackup, RestoreError } from "@/lib/backups/restore-backup";
import { restoreSummary } from "@/lib/backups/restore-summary";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { cliArgs } from "./cli-args";

const args = cliArgs({ from: { type: "string" }, to: { type: "string" } });
if (!args.from || !args.to) {
  console.error("Usage: npm run backup:restore -- --from <backup id | latest> --to <postgres url | pglite dir>");
  process.exit(2);
}

const storage = createFileStorage();
const target = /^postgres(ql)?:\/\//.test(args.to) ? openDatabase({ url: args.to }) : openDatabase({ pgliteDir: path.resolve(args.to) });
try {
  const manifest = await readBackupManifest(storage, args.from);
  console.log(`Restoring backup ${manifest.backupId} (taken ${manifest.takenAt} from ${manifest.source}, schema ${manifest.schemaVersion}, ${manifest.tables.length} tables)…`);
  const report = await restoreBackup(target, storage, manifest, { log: (line) => console.log(`  ${line}`) });
  for (const line of restoreSummary(report)) console.log(line);
  if (!report.ok) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof RestoreError ? `Restore refused: ${error.message}` : `Restore failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
