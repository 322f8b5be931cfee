import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { findBackup } from "@/db/queries/backups";
import { readChainBatch } from "@/db/queries/audit-log";
import { schemaVersion } from "@/db/queries/schema-version";
import { startBackupFromDashboard } from "@/app/(dashboard)/_lib/backup-action";
import { takeBackup } from "@/lib/backups/take-backup";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

let database: Database;
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-backups-page-"));
  database = await useTestDatabase();
  await createWorkspace(database.db, { name: "Any" });
});
afterAll(async () => {
  await database.close();
  await fs.rm(root, { recursive: true, force: true });
});

const render = async () => {
  const { default: BackupsPage } = await import("@/app/(dashboard)/backups/page");
  return renderToStaticMarkup(await BackupsPage());
};

describe("/backups", () => {
  it("starts a backup from the dashboard, shows it running, then completed with its restore command", async () => {
    expect(await render()).toContain("No backups yet.");
    const sent: string[] = [];
    const state = await startBackupFromDashboard(database.db, async (backupId) => {
      sent.push(backupId);
    });
    expect(state.ok).toBe(true);
    expect(sent).toHaveLength(1);
    let html = await render();
    expect(html).toContain("running");
    expect(html).toContain('class="live"');

    await takeBackup(database.db, new LocalFileStorage(root), { backupId: sent[0]!, source: database.kind });
    html = await render();
    expect(html).toContain("completed");
    expect(html).toContain(`npm run backup:restore -- --from ${sent[0]}`);
    // The schema version the backup was taken at: the newest migration.
    expect(html).toContain((await schemaVersion(database.db)).expected);
    expect(html).not.toContain('class="live"');
    const global = await readChainBatch(database.db, { workspaceId: null, afterId: 0, limit: 10 });
    expect(global.map((entry) => [entry.actor, entry.action])).toEqual([
      ["dashboard", "backup.requested"],
      ["function:run-backup", "backup.completed"],
    ]);
  });

  it("marks the backup failed when it cannot be queued", async () => {
    let id = "";
    const state = await startBackupFromDashboard(database.db, async (backupId) => {
      id = backupId;
      throw new Error("connection refused");
    });
    expect(state).toMatchObject({ ok: false, message: expect.stringContaining("could not be queued") });
    expect(await findBackup(database.db, id)).toMatchObject({ status: "failed", error: "could not be queued: connection refused" });
  });
});
