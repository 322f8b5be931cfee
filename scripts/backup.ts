/**
 * npm run backup — takes a logical backup of the database now (DATABASE_URL, or the embedded
 * database) into file storage (S3 when configured, else .data/files), then applies retention.
 * Runs in this process: it needs no Inngest server, so it works with the app stopped.
 */
import { openDatabase } from "@/db";
import { expireBackups } from "@/lib/backups/expire-backups";
import { failBackup, requestBackup, takeBackup } from "@/lib/backups/take-backup";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { cliArgs } from "./cli-args";

cliArgs({});
const database = openDatabase();
const storage = createFileStorage();
try {
  await database.migrate();
  const backup = await requestBackup(database.db, { trigger: "manual", actor: "cli" });
  try {
    const outcome = await takeBackup(database.db, storage, { backupId: backup.id, source: database.kind });
    if (outcome.status !== "completed") throw new Error(outcome.reason);
    console.log(`Backup ${outcome.backupId} completed: ${outcome.tables} tables, ${outcome.rows} rows, ${outcome.gzipBytes} bytes compressed, in ${(outcome.durationMs / 1000).toFixed(1)} s (schema ${outcome.schemaVersion}).`);
    console.log(`Restore it with: npm run backup:restore -- --from ${outcome.backupId} --to <postgres url | pglite dir>`);
  } catch (error) {
    await failBackup(database.db, backup.id, error);
    throw error;
  }
  const expired = await expireBackups(database.db, storage, { now: new Date() });
  if (expired.length > 0) console.log(`Retention: ${expired.length} expired backup(s) deleted.`);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
