import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { findBackup, listBackups } from "@/db/queries/backups";
import { readChainBatch } from "@/db/queries/audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { manifestKey, tableKey } from "@/lib/backups/backup-manifest";
import { requestBackup } from "@/lib/backups/take-backup";
import { metrics } from "@/lib/observability/metrics";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { runBackup } = await import("@/inngest/functions/lifecycle/run-backup");
const { scheduleBackup } = await import("@/inngest/functions/lifecycle/schedule-backup");

const DAY_MS = 86_400_000;
let database: Database;
let dataDir: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-run-backup-"));
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  storage = new LocalFileStorage(path.join(dataDir, "files"));
  database = await useTestDatabase();
  await createWorkspace(database.db, { name: "Backed up" });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
  await recorder.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const exists = (key: string) =>
  storage.openRead(key).then(
    (stream) => (stream.destroy(), true),
    () => false,
  );

async function runFor(backupId: string) {
  return new InngestTestEngine({ function: runBackup }).execute({ events: [{ name: "lifecycle/backup.requested", data: { backupId } }] });
}

describe("schedule-backup", () => {
  it("records a scheduled backup and asks run-backup to take it", async () => {
    const { result } = await new InngestTestEngine({ function: scheduleBackup }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 30 2 * * *" } } as never] });
    const { backupId } = result as { backupId: string };
    expect(await findBackup(database.db, backupId)).toMatchObject({ trigger: "schedule", status: "running" });
    const sent = recorder.events.filter((event) => event.name === "lifecycle/backup.requested");
    expect(sent).toEqual([expect.objectContaining({ id: `backup-${backupId}`, data: { backupId } })]);
  });
});

describe("run-backup", () => {
  it("takes the backup: files and manifest in storage, the row completed with its expiry, audited on the global chain, counted", async () => {
    const before = (await metrics().backups.get()).values.find((value) => value.labels.outcome === "completed")?.value ?? 0;
    const backup = await requestBackup(database.db, { trigger: "manual", actor: "dashboard" });
    const { result } = await runFor(backup.id);
    expect(result).toMatchObject({ status: "completed", backupId: backup.id, expired: [] });

    const row = (await findBackup(database.db, backup.id))!;
    expect(row).toMatchObject({ status: "completed", storagePrefix: `backups/${backup.id}` });
    expect(row.bytes).toBeGreaterThan(0);
    expect(row.expiresAt!.getTime() - row.finishedAt!.getTime()).toBe(14 * DAY_MS);
    const manifest = row.manifest as { tables: { name: string; rows: number }[] };
    expect(manifest.tables.find((table) => table.name === "workspaces")?.rows).toBe(1);
    expect(await exists(manifestKey(backup.id))).toBe(true);
    expect(await exists(tableKey(backup.id, "audit_log"))).toBe(true);

    const global = await readChainBatch(database.db, { workspaceId: null, afterId: 0, limit: 100 });
    expect(global.filter((entry) => entry.targetId === backup.id).map((entry) => entry.action)).toEqual(["backup.requested", "backup.completed"]);
    await expect(verifyAuditChain(database.db, null)).resolves.toMatchObject({ ok: true });
    expect((await metrics().backups.get()).values.find((value) => value.labels.outcome === "completed")?.value).toBe(before + 1);

    // A second delivery of the same event finds it done.
    expect((await runFor(backup.id)).result).toMatchObject({ status: "skipped", reason: "the backup is completed" });
  });

  it("retention deletes only expired backups' files, and always keeps the newest completed one", async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    const old = await requestBackup(database.db, { trigger: "schedule", actor: "test" });
    await runFor(old.id);
    vi.setSystemTime(start + 10 * DAY_MS);
    const recent = await requestBackup(database.db, { trigger: "schedule", actor: "test" });
    await runFor(recent.id);
    expect((await findBackup(database.db, old.id))!.status).toBe("completed");

    // Day 15: the first is past its 14 days, the second is not.
    vi.setSystemTime(start + 15 * DAY_MS);
    const today = await requestBackup(database.db, { trigger: "schedule", actor: "test" });
    const { result } = await runFor(today.id);
    expect((result as { expired: string[] }).expired).toContain(old.id);
    expect((result as { expired: string[] }).expired).not.toContain(recent.id);
    expect(await findBackup(database.db, old.id)).toMatchObject({ status: "expired", storagePrefix: null });
    expect(await exists(manifestKey(old.id))).toBe(false);
    expect(await exists(tableKey(old.id, "contacts"))).toBe(false);
    expect(await findBackup(database.db, recent.id)).toMatchObject({ status: "completed" });
    expect(await exists(manifestKey(recent.id))).toBe(true);

    // A year on, with no newer backup, the newest completed one is kept whatever its age.
    vi.setSystemTime(start + 365 * DAY_MS);
    const failing = await requestBackup(database.db, { trigger: "schedule", actor: "test" });
    const { expireBackups } = await import("@/lib/backups/expire-backups");
    await expireBackups(database.db, storage, { now: new Date() });
    const rows = await listBackups(database.db, { limit: 10 });
    expect(rows.find((row) => row.id === today.id)).toMatchObject({ status: "completed" });
    expect(rows.find((row) => row.id === recent.id)).toMatchObject({ status: "expired" });
    expect(rows.find((row) => row.id === failing.id)).toMatchObject({ status: "running" });
  });
});
