import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { InngestTestEngine } from "@inngest/test";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { dataExports, imports } from "@/db/schema";
import { metrics } from "@/lib/observability/metrics";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createStorageKey } from "@/lib/storage/file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

const { cleanTemporaryData } = await import("@/inngest/functions/lifecycle/clean-temporary-data");
const { S3_DOWNLOAD_PREFIX } = await import("@/lib/lifecycle/clean-temporary-data");

const HOUR_MS = 3_600_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-temp-cleanup-"));
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-temp-cleanup-tmp-"));
let database: Database;
let workspaceId: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  vi.stubEnv("TMPDIR", tempDir);
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Temp" }));
  storage = new LocalFileStorage(path.join(dataDir, "files"));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(tempDir, { recursive: true, force: true });
});

const now = () => Date.now();
const ago = (hours: number) => new Date(now() - hours * HOUR_MS);
const stored = async (prefix: string, bytes: number) => (await storage.put(createStorageKey(prefix, workspaceId), Readable.from([Buffer.alloc(bytes, 1)]))).key;
const exists = (key: string) => fs.existsSync(path.join(dataDir, "files", ...key.split("/")));
const makeOld = (file: string, hours: number) => fs.utimesSync(file, ago(hours), ago(hours));

async function importWithFile(status: "completed" | "failed" | "running", finishedHoursAgo: number | null) {
  const fileKey = await stored("imports", 100);
  const [row] = await database.db
    .insert(imports)
    .values({ workspaceId, status, fileKey, fileName: "c.csv", sha256: randomUUID(), bytes: 100, mappingHash: randomUUID(), chunkRows: 10, finishedAt: finishedHoursAgo === null ? null : ago(finishedHoursAgo), updatedAt: ago(finishedHoursAgo ?? 1) })
    .returning();
  return row!;
}

async function exportWithFile(status: "ready" | "running", expiresHoursFromNow: number) {
  const storageKey = await stored("exports", 300);
  const [row] = await database.db
    .insert(dataExports)
    .values({ workspaceId, subject: "workspace", status, storageKey, bytes: 300, requestedBy: "test", createdAt: ago(48), expiresAt: new Date(now() + expiresHoursFromNow * HOUR_MS) })
    .returning();
  return row!;
}

const counterValue = async (name: "temporaryFilesRemoved" | "temporaryBytesRemoved", kind: string) =>
  (await metrics()[name].get()).values.find((value) => value.labels.kind === kind)?.value ?? 0;

describe("clean-temporary-data", () => {
  it("removes finished and failed imports' files, expired exports and stale spool files past the age, and keeps the rest", async () => {
    const oldCompleted = await importWithFile("completed", 30);
    const oldFailed = await importWithFile("failed", 25);
    const freshCompleted = await importWithFile("completed", 2);
    const running = await importWithFile("running", null);
    const expired = await exportWithFile("ready", -1);
    const valid = await exportWithFile("ready", 24);

    const oldPartial = path.join(dataDir, "files", "imports", workspaceId, "abc.partial-0123abcd");
    const freshPartial = path.join(dataDir, "files", "imports", workspaceId, "def.partial-89abcdef");
    fs.writeFileSync(oldPartial, Buffer.alloc(50));
    fs.writeFileSync(freshPartial, Buffer.alloc(50));
    makeOld(oldPartial, 30);
    const oldDownload = path.join(tempDir, `${S3_DOWNLOAD_PREFIX}old`);
    const freshDownload = path.join(tempDir, `${S3_DOWNLOAD_PREFIX}fresh`);
    const unrelated = path.join(tempDir, "someone-elses-dir");
    for (const dir of [oldDownload, freshDownload, unrelated]) {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "object"), Buffer.alloc(70));
    }
    makeOld(oldDownload, 30);
    makeOld(unrelated, 30);

    const before = { files: await counterValue("temporaryFilesRemoved", "import_upload"), bytes: await counterValue("temporaryBytesRemoved", "import_upload") };
    const { result } = await new InngestTestEngine({ function: cleanTemporaryData }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 15 * * * *" } } as never] });
    expect(result).toEqual({
      import_upload: { files: 2, bytes: 200 },
      export: { files: 1, bytes: 300 },
      storage_partial: { files: 1, bytes: 50 },
      s3_download: { files: 1, bytes: 70 },
    });

    expect([oldCompleted, oldFailed].map((row) => exists(row.fileKey))).toEqual([false, false]);
    expect([freshCompleted, running].map((row) => exists(row.fileKey))).toEqual([true, true]);
    const marked = await database.db.select().from(imports).where(eq(imports.workspaceId, workspaceId));
    expect(marked.filter((row) => row.fileDeletedAt).map((row) => row.id).sort()).toEqual([oldCompleted.id, oldFailed.id].sort());
    expect(exists(expired.storageKey!)).toBe(false);
    expect(exists(valid.storageKey!)).toBe(true);
    const exportsNow = new Map((await database.db.select().from(dataExports)).map((row) => [row.id, row.status]));
    expect([exportsNow.get(expired.id), exportsNow.get(valid.id)]).toEqual(["expired", "ready"]);
    expect([fs.existsSync(oldPartial), fs.existsSync(freshPartial)]).toEqual([false, true]);
    expect([fs.existsSync(oldDownload), fs.existsSync(freshDownload), fs.existsSync(unrelated)]).toEqual([false, true, true]);
    expect(await counterValue("temporaryFilesRemoved", "import_upload")).toBe(before.files + 2);
    expect(await counterValue("temporaryBytesRemoved", "import_upload")).toBe(before.bytes + 200);

    // The next hour finds nothing more to do.
    const { result: again } = await new InngestTestEngine({ function: cleanTemporaryData }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 15 * * * *" } } as never] });
    expect(again).toEqual({ import_upload: { files: 0, bytes: 0 }, export: { files: 0, bytes: 0 }, storage_partial: { files: 0, bytes: 0 }, s3_download: { files: 0, bytes: 0 } });
  });
});
