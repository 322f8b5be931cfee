import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getEmailAsset } from "@/db/queries/email-assets";
import { markErasureWaiting, requestWorkspaceErasure } from "@/db/queries/erasures";
import { erasures, workspaces } from "@/db/schema";
import { storeEmailImage } from "@/lib/assets/store-email-image";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { photo } from "@/test/support/images";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { executeErasure } = await import("@/inngest/functions/lifecycle/execute-erasure");

let database: Database;
let dataDir: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-execute-erasure-"));
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  storage = new LocalFileStorage(path.join(dataDir, "files"));
  database = await useTestDatabase();
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

describe("execute-erasure of a workspace", () => {
  it("deletes the workspace's email images from storage with its rows, and leaves other workspaces' images", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Leaving" });
    const { workspace: staying } = await createWorkspace(database.db, { name: "Staying" });
    const image = await photo(400, 300);
    const gone = await storeEmailImage(database.db, storage, { workspaceId: workspace.id, fileName: "hero.jpg", bytes: image });
    const kept = await storeEmailImage(database.db, storage, { workspaceId: staying.id, fileName: "hero.jpg", bytes: image });
    expect(await exists(gone.asset.storageKey)).toBe(true);

    const at = new Date(Date.now() - 2 * 86_400_000);
    const { erasure } = (await requestWorkspaceErasure(database.db, { workspaceId: workspace.id, requestedBy: "test", at, eraseAfter: new Date(at.getTime() + 86_400_000) }))!;
    expect(await markErasureWaiting(database.db, { workspaceId: workspace.id, erasureId: erasure.id, at: new Date() })).toBe(true);

    const { result } = await new InngestTestEngine({ function: executeErasure }).execute({ events: [{ name: "lifecycle/erasure.due", data: { workspaceId: workspace.id, erasureId: erasure.id } }] });
    expect(result).toMatchObject({ erased: true, counts: { files: 1, workspaces: 1 } });
    expect(await exists(gone.asset.storageKey)).toBe(false);
    expect(await getEmailAsset(database.db, { workspaceId: workspace.id, assetId: gone.asset.id })).toBeUndefined();
    expect(await database.db.select().from(workspaces).where(eq(workspaces.id, workspace.id))).toEqual([]);
    expect((await database.db.select().from(erasures).where(eq(erasures.id, erasure.id)))[0]).toMatchObject({ status: "erased" });

    expect(await exists(kept.asset.storageKey)).toBe(true);
    expect(await getEmailAsset(database.db, { workspaceId: staying.id, assetId: kept.asset.id })).toBeDefined();
  });
});
