import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORAGE_OUTAGE_MESSAGE, submitImportUpload } from "@/app/(dashboard)/_lib/upload-import";
import type { Database } from "@/db";
import { getImport } from "@/db/queries/imports";
import { insertList } from "@/db/queries/lists";
import { auditLog } from "@/db/schema";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { S3FileStorage } from "@/lib/storage/s3/s3-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { startFakeS3 } from "@/test/fakes/fake-s3";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let storage: LocalFileStorage;
let root: string;
let workspaceId: string;
let otherWorkspaceId: string;
const queued: string[] = [];
const queue = async (importId: string) => {
  queued.push(importId);
};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-dashboard-upload-"));
  storage = new LocalFileStorage(root);
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Theirs" }));
});
afterAll(async () => {
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function form(fields: Record<string, string>, file: { text: string; name?: string } | null = { text: "email\nada@example.com\n" }): FormData {
  const data = new FormData();
  data.set("workspace", workspaceId);
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  if (file) data.set("file", new File([file.text], file.name ?? "contacts.csv", { type: "text/csv" }));
  return data;
}

const storedFiles = () => fs.readdirSync(root, { recursive: true }).filter((entry) => fs.statSync(path.join(root, String(entry))).isFile());

describe("submitImportUpload", () => {
  it("stores the file, records the import for the workspace, audits and queues it", async () => {
    const list = (await insertList(database.db, { workspaceId, name: "Newsletter", description: null }))!;
    const result = await submitImportUpload(database.db, storage, {
      workspaceId,
      form: form({ mode: "skip-existing", listId: list.id, mapping: '{"E-mail": "email"}', sheet: "" }, { text: "E-mail\nada@example.com\n", name: "C:\\tmp\\people.csv" }),
      queue,
    });
    expect(result).toEqual({ ok: true, importId: expect.any(String), created: true });
    if (!result.ok) return;
    const row = await getImport(database.db, { workspaceId, importId: result.importId });
    expect(row).toMatchObject({ status: "queued", mode: "skip-existing", listId: list.id, fileName: "people.csv", mapping: { "E-mail": "email" }, sheetName: null, bytes: 23 });
    expect(await getImport(database.db, { workspaceId: otherWorkspaceId, importId: result.importId })).toBeUndefined();
    expect(fs.readFileSync(path.join(root, ...row!.fileKey.split("/")), "utf8")).toBe("E-mail\nada@example.com\n");
    expect(queued.at(-1)).toBe(result.importId);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, result.importId));
    expect(audit).toMatchObject([{ workspaceId, actor: "dashboard", action: "import.created", targetType: "import" }]);
  });

  it("returns the existing import for the same file and options, keeping one stored copy", async () => {
    const before = storedFiles().length;
    const first = await submitImportUpload(database.db, storage, { workspaceId, form: form({}, { text: "email\nsame@example.com\n" }), queue });
    const again = await submitImportUpload(database.db, storage, { workspaceId, form: form({}, { text: "email\nsame@example.com\n", name: "b.csv" }), queue });
    expect(first).toMatchObject({ ok: true, created: true });
    expect(again).toEqual({ ok: true, importId: first.ok ? first.importId : "", created: false });
    expect(storedFiles()).toHaveLength(before + 1);
  });

  it.each([
    ["no file", form({}, null), { file: ["choose a CSV, XLSX or vCard file"] }],
    ["an empty file", form({}, { text: "" }), { file: ["choose a CSV, XLSX or vCard file"] }],
    ["an unknown mode", form({ mode: "replace" }), { mode: [expect.any(String)] }],
    ["mapping that is not JSON", form({ mapping: "{email" }), { mapping: ["is not valid JSON"] }],
    ["mapping to an unknown field", form({ mapping: '{"x": "salary"}' }), { mapping: [expect.stringMatching(/^must be one of email, .*"ignore" or "attribute:<key>"/)] }],
    ["a malformed list id", form({ listId: "nope" }), { listId: [expect.any(String)] }],
  ])("refuses %s with field errors and stores nothing", async (_name, data, fields) => {
    const before = storedFiles().length;
    const result = await submitImportUpload(database.db, storage, { workspaceId, form: data, queue });
    expect(result).toEqual({ ok: false, state: { message: "The upload has invalid fields.", fields } });
    expect(storedFiles()).toHaveLength(before);
  });

  it("refuses another workspace's list", async () => {
    const theirs = (await insertList(database.db, { workspaceId: otherWorkspaceId, name: "Theirs", description: null }))!;
    const result = await submitImportUpload(database.db, storage, { workspaceId, form: form({ listId: theirs.id }), queue });
    expect(result).toEqual({ ok: false, state: { message: "The upload has invalid fields.", fields: { listId: ["is not a list of this workspace"] } } });
  });

  it("says so when the import is stored but cannot be queued", async () => {
    const result = await submitImportUpload(database.db, storage, {
      workspaceId,
      form: form({}, { text: "email\nqueue@example.com\n" }),
      queue: () => Promise.reject(new Error("connection refused")),
    });
    expect(result).toEqual({ ok: false, state: { message: expect.stringContaining("upload the same file again"), fields: {} } });
  });

  it("says plainly that storage is down, records nothing, and keeps the detail for the log", async () => {
    const down = await startFakeS3();
    await down.stop();
    const unreachable = new S3FileStorage({ bucket: "uploads", endpoint: down.url, region: down.region, accessKeyId: down.accessKeyId, secretAccessKey: down.secretAccessKey });
    const before = queued.length;
    const result = await submitImportUpload(database.db, unreachable, { workspaceId, form: form({}, { text: "email\ndown@example.com\n" }), queue });
    expect(result).toEqual({ ok: false, state: { message: STORAGE_OUTAGE_MESSAGE, fields: {} } });
    expect(queued).toHaveLength(before);
  });
});
