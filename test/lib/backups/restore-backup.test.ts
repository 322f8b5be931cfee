import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { listAppTables } from "@/db/queries/database-dump";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { findBackup } from "@/db/queries/backups";
import { tableKey } from "@/lib/backups/backup-manifest";
import { requestBackup, takeBackup } from "@/lib/backups/take-backup";
import { dumpDatabase, dumpLines } from "@/lib/backups/dump-database";
import { readBackupManifest, restoreBackup, RestoreError } from "@/lib/backups/restore-backup";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { seedEveryKind } from "@/test/support/backup-seed";
import { createTestDatabase } from "@/test/support/database";
import { rejectionOf } from "@/test/support/rejection";

let source: Database;
let storage: LocalFileStorage;
let root: string;
const opened: Database[] = [];

/** A fresh, unmigrated database on the same engine as the source. */
async function freshTarget(): Promise<Database> {
  const database = await createTestDatabase({ migrate: false });
  opened.push(database);
  return database;
}

/** Every row of every app table, as the backup renders them, table by table. */
async function contentOf(db: Db): Promise<Record<string, string>> {
  const content: Record<string, string> = {};
  await db.transaction(async (tx) => {
    for (const table of await listAppTables(tx)) {
      let text = "";
      for await (const batch of dumpLines(tx, table, 7)) text += batch.chunk.toString("utf8");
      content[table.name] = text;
    }
  });
  return content;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-backup-test-"));
  storage = new LocalFileStorage(root);
  source = await createTestDatabase();
  await seedEveryKind(source.db);
});
afterAll(async () => {
  for (const database of opened) await database.close();
  await source.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe("backup → restore", () => {
  // Each restore migrates a fresh database: PGlite takes seconds per migration run on a busy machine.
  it("gives back identical rows in every table, and a database that keeps working", { timeout: 90_000 }, async () => {
    const backupId = randomUUID();
    // Small batches, so the keyset paging crosses many pages.
    const manifest = await dumpDatabase(source.db, storage, { backupId, source: source.kind, takenAt: new Date(), batchRows: 3 });
    expect(manifest.tables.find((table) => table.name === "audit_log")?.rows).toBeGreaterThan(4);
    expect(manifest.tables.some((table) => table.name.startsWith("inngest"))).toBe(false);

    const target = await freshTarget();
    const report = await restoreBackup(target, storage, await readBackupManifest(storage, "latest"), { batchRows: 4 });
    expect(report.ok).toBe(true);
    expect(report.tables.filter((table) => !table.ok)).toEqual([]);
    expect(report.sequences).toBeGreaterThan(0);
    expect(await contentOf(target.db)).toEqual(await contentOf(source.db));

    // The audit chains came over whole, and audit_log's sequence moved past the restored ids.
    const [workspaceId] = (await contentOf(target.db)).workspaces!.split("\n").filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    await insertAuditEntry(target.db, { workspaceId: workspaceId!, actor: "system", action: "after.restore" });
    await expect(verifyAuditChain(target.db, workspaceId!)).resolves.toMatchObject({ ok: true });
    await expect(verifyAuditChain(target.db, null)).resolves.toMatchObject({ ok: true });
  });

  it("marks the restored backup's own row completed: the snapshot caught it running", { timeout: 90_000 }, async () => {
    const scratch = await freshTarget();
    await scratch.migrate();
    const backup = await requestBackup(scratch.db, { trigger: "manual", actor: "test" });
    await takeBackup(scratch.db, storage, { backupId: backup.id, source: scratch.kind });
    const manifest = await readBackupManifest(storage, backup.id);
    const backupsFile = manifest.tables.find((table) => table.name === "backups")!;
    expect(backupsFile.rows).toBe(1);

    const target = await freshTarget();
    const report = await restoreBackup(target, storage, manifest);
    expect(report.ok).toBe(true);
    expect(await findBackup(target.db, backup.id)).toMatchObject({ status: "completed", storagePrefix: `backups/${backup.id}`, finishedAt: new Date(manifest.takenAt) });
  });

  it("refuses a target that holds rows, and touches nothing in it", async () => {
    const backupId = randomUUID();
    const manifest = await dumpDatabase(source.db, storage, { backupId, source: source.kind, takenAt: new Date() });
    const error = await rejectionOf(restoreBackup(source, storage, manifest), RestoreError);
    expect(error.message).toMatch(/target database is not empty .*restore only into a fresh database/);
  });

  it("fails verification on a corrupted file and leaves the target empty", { timeout: 90_000 }, async () => {
    const backupId = randomUUID();
    const manifest = await dumpDatabase(source.db, storage, { backupId, source: source.kind, takenAt: new Date() });
    const contactsFile = tableKey(backupId, "contacts");
    // A valid gzip with one row changed: only the checksum can tell.
    const original = manifest.tables.find((table) => table.name === "contacts")!;
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.openRead(contactsFile)).pipe((await import("node:zlib")).createGunzip())) chunks.push(chunk as Buffer);
    const edited = Buffer.concat(chunks).toString("utf8").replace("Zoë", "Zoe");
    await storage.put(contactsFile, Readable.from([gzipSync(edited)]));

    const target = await freshTarget();
    const error = await rejectionOf(restoreBackup(target, storage, manifest), RestoreError);
    expect(error.message).toMatch(/^contacts: the backup file does not match its manifest/);
    expect(original.rows).toBeGreaterThan(0);
    const content = await contentOf(target.db);
    expect(Object.values(content).every((text) => text === "")).toBe(true);

    // Bytes cut from the compressed file: it cannot even be read.
    const truncated = (await fs.readFile(path.join(root, ...contactsFile.split("/")))).subarray(0, 40);
    await storage.put(contactsFile, Readable.from([truncated]));
    const again = await rejectionOf(restoreBackup(await freshTarget(), storage, manifest), RestoreError);
    expect(again.message).toMatch(/^contacts: the backup file (could not be read|does not match)/);
  });

  it("says so when the backup does not exist", async () => {
    await expect(readBackupManifest(storage, randomUUID())).rejects.toThrow(/no completed backup .* in file storage/);
    await expect(readBackupManifest(storage, "yesterday")).rejects.toThrow(/is not a backup id/);
    await expect(readBackupManifest(new LocalFileStorage(path.join(root, "empty")), "latest")).rejects.toThrow(/no completed backup found/);
  });
});
