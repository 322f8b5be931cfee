import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { FILES_OF, type ExportSubject } from "@/core/exports/export-files";
import { assembleExport, chunkRowsFor, deleteExportParts, deleteFailedExportFiles, MAX_CHUNK_STEPS, planExport, partKey, scopeOf, writeExportChunk, zipKey } from "@/lib/exports/build-export";
import { readExportZip } from "@/lib/exports/read-export-zip";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createTestDatabase } from "@/test/support/database";
import { type ExportWorld, FORMULA_NAME, seedExportWorld } from "./export-fixtures";

let database: Database;
let world: ExportWorld;
let root: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await seedExportWorld(database.db);
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-export-test-"));
  storage = new LocalFileStorage(root);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Builds an export the way build-export does, step by step, with tiny chunks so every file takes several. */
async function build(subject: ExportSubject, contactId: string | null, chunkRows = 2) {
  const ids = { workspaceId: world.workspaceId, exportId: crypto.randomUUID() };
  const scope = scopeOf({ workspaceId: world.workspaceId, subject, contactId });
  const plan = await planExport(database.db, subject, scope);
  const files = [];
  for (const [fileIndex, { file }] of plan.files.entries()) {
    let cursor: string | null = null;
    let chunk = 0;
    let rows = 0;
    for (;;) {
      const part = await writeExportChunk(database.db, storage, { ...ids, scope, file, fileIndex, chunk: chunk++, cursor, chunkRows });
      rows += part.rows;
      cursor = part.cursor;
      if (part.done) break;
    }
    files.push({ file, rows, chunks: chunk });
  }
  const { stored, manifest } = await assembleExport(storage, { ...ids, subject, contactId, files, generatedAt: new Date("2026-06-01T00:00:00Z") });
  const zip = await readExportZip(await storage.openRead(stored.key), { keepText: () => true });
  return { ids, plan, files, stored, manifest, zip };
}

const text = (zip: Awaited<ReturnType<typeof readExportZip>>, name: string) => zip.files.find((file) => file.name === name)?.text ?? "";
const jsonl = (zip: Awaited<ReturnType<typeof readExportZip>>, name: string) =>
  text(zip, name)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("a workspace export", () => {
  it("counts first, then holds every file as JSONL and CSV with the counted rows, a manifest whose checksums match, and a README", async () => {
    const { plan, zip, stored } = await build("workspace", null);
    expect(Object.fromEntries(plan.files.map((file) => [file.file, file.rows]))).toEqual(world.workspaceRows);
    expect(plan.total).toBe(Object.values(world.workspaceRows).reduce((a, b) => a + b, 0));
    expect(zip.problems).toEqual([]);
    expect(zip.files.map((file) => file.name).sort()).toEqual([...FILES_OF.workspace.flatMap((file) => [`${file}.jsonl`, `${file}.csv`]), "manifest.json", "README.txt"].sort());
    for (const [file, rows] of Object.entries(world.workspaceRows)) {
      expect(zip.files.find((entry) => entry.name === `${file}.jsonl`)?.rows, file).toBe(rows);
      expect(zip.files.find((entry) => entry.name === `${file}.csv`)?.rows, file).toBe(rows);
    }
    // The manifest's checksums are those of the bytes in the zip, computed here independently.
    for (const listed of zip.manifest!.files) {
      expect(createHash("sha256").update(text(zip, listed.name), "utf8").digest("hex")).toBe(listed.sha256);
    }
    expect(stored.sha256).toBe(createHash("sha256").update(fs.readFileSync(path.join(root, ...stored.key.split("/")))).digest("hex"));
    expect(text(zip, "README.txt")).toContain("Dates are ISO 8601 in UTC");
  });

  it("leaves out a contact whose erasure was requested, with their memberships, messages and events", async () => {
    const { zip } = await build("workspace", null);
    const everything = zip.files.map((file) => file.text ?? "").join("\n");
    expect(everything).not.toContain("carol@example.com");
    expect(everything).not.toContain(world.carol);
    expect(jsonl(zip, "contacts.jsonl").map((row) => row.email)).toEqual(expect.arrayContaining(["alice@example.com", "bob@example.com", "dave@example.com"]));
  });

  it("writes dates as ISO 8601 UTC, messages with their status history, and JSON columns as JSON", async () => {
    const { zip } = await build("workspace", null);
    const welcome = jsonl(zip, "messages.jsonl").find((row) => row.subject === "Welcome")!;
    expect(welcome).toMatchObject({ status: "delivered", queuedAt: "2026-01-02T10:00:00.000Z", sentAt: "2026-01-02T10:00:01.000Z", deliveredAt: "2026-01-02T10:00:05.000Z", request: { subject: "Hello" } });
    const alice = jsonl(zip, "contacts.jsonl").find((row) => row.email === "alice@example.com")!;
    expect(alice).toMatchObject({ firstName: FORMULA_NAME, attributes: { plan: "+pro" }, createdAt: "2026-01-01T10:00:00.000Z" });
  });

  it("makes every CSV cell that would start a formula safe, and keeps quoted line breaks in one record", async () => {
    const { zip } = await build("workspace", null);
    const contactsCsv = text(zip, "contacts.csv");
    expect(contactsCsv.startsWith("\uFEFFid,email,phone,firstName")).toBe(true);
    expect(contactsCsv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(contactsCsv).toContain(",'-1+1,");
    expect(contactsCsv).not.toMatch(/,=HYPERLINK/);
    expect(text(zip, "messages.csv")).toContain(",'=mailbox full,");
    expect(text(zip, "lists.csv")).toContain(`"'@monthly, ""quoted"""`);
    // No cell starts with a formula character unescaped: check every cell of every CSV.
    for (const file of zip.files.filter((entry) => entry.name.endsWith(".csv"))) {
      const cells = (file.text ?? "").replace(/^\uFEFF/, "").match(/(?<=^|,)("(?:[^"]|"")*"|[^,\r\n]*)/gm) ?? [];
      for (const cell of cells) expect(cell.replace(/^"/, ""), `${file.name}: ${cell}`).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?(,|$))/);
    }
  });

  it("the parts go once the zip is written", async () => {
    const { ids, files, stored } = await build("workspace", null);
    expect(fs.existsSync(path.join(root, ...partKey(ids, 0, 0, "jsonl").split("/")))).toBe(true);
    expect(await deleteExportParts(storage, ids, files)).toBe(files.reduce((sum, file) => sum + file.chunks * 2, 0));
    expect(fs.existsSync(path.join(root, ...partKey(ids, 0, 0, "jsonl").split("/")))).toBe(false);
    expect(stored.key).toBe(zipKey(ids));
    expect(fs.existsSync(path.join(root, ...stored.key.split("/")))).toBe(true);
  });
});

describe("a failed export", () => {
  it("leaves no part behind once its files are deleted", async () => {
    const ids = { workspaceId: world.workspaceId, exportId: crypto.randomUUID() };
    const scope = { workspaceId: world.workspaceId, contactId: null };
    // Two files written part-way (as a run that failed in the middle), in chunks of one row.
    await writeExportChunk(database.db, storage, { ...ids, scope, file: "contacts", fileIndex: 0, chunk: 0, cursor: null, chunkRows: 1 });
    await writeExportChunk(database.db, storage, { ...ids, scope, file: "lists", fileIndex: 1, chunk: 0, cursor: null, chunkRows: 1 });
    const dir = path.join(root, "exports", ids.workspaceId, ids.exportId);
    expect(fs.readdirSync(dir)).toHaveLength(4);
    await deleteFailedExportFiles(database.db, storage, { ...ids, subject: "workspace", contactId: null });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("a contact export", () => {
  it("holds the contact, memberships, preferences, messages, events, inbox, devices, consent and audit entries", async () => {
    const { plan, zip } = await build("contact", world.alice);
    expect(Object.fromEntries(plan.files.map((file) => [file.file, file.rows]))).toEqual(world.aliceRows);
    expect(zip.problems).toEqual([]);
    expect(jsonl(zip, "list_memberships.jsonl")).toEqual([expect.objectContaining({ listName: "Newsletter" })]);
    expect(jsonl(zip, "preferences.jsonl")).toEqual([expect.objectContaining({ channel: "email", category: "billing", enabled: false, source: "preference_center" })]);
    expect(jsonl(zip, "consent.jsonl")).toEqual([
      expect.objectContaining({ channel: "email", address: "alice@example.com", subscription: "subscribed", suppressed: false }),
      expect.objectContaining({ channel: "sms", address: "+14155550101", suppressed: true, suppressionReason: "stop" }),
      expect.objectContaining({ channel: "whatsapp", suppressed: false }),
    ]);
    expect(jsonl(zip, "push_subscriptions.jsonl")[0]).not.toHaveProperty("auth");
    expect(jsonl(zip, "audit_entries.jsonl")).toEqual([expect.objectContaining({ action: "contact.updated" })]);
    expect(text(zip, "messages.jsonl")).not.toContain("someone@example.com");
  });

  it("of another workspace's contact, or one being erased, is empty", async () => {
    for (const contactId of [world.otherContact, world.carol]) {
      const plan = await planExport(database.db, "contact", { workspaceId: world.workspaceId, contactId });
      expect(plan.files.find((file) => file.file === "contact")?.rows).toBe(0);
    }
  });
});

describe("chunk sizing", () => {
  it.each([
    { rows: [100_000, 50_000, 10], configured: 10_000, chunkRows: 10_000, steps: 16 },
    { rows: [10_000_000, 20_000_000, 5], configured: 10_000, chunkRows: 160_000, steps: 63 + 125 + 1 },
    { rows: [0, 0, 0, 0, 0], configured: 10_000, chunkRows: 10_000, steps: 5 },
  ])("$rows rows at $configured per chunk: $chunkRows per chunk, $steps chunk steps (≤ 250)", ({ rows, configured, chunkRows, steps }) => {
    expect(chunkRowsFor(rows, configured)).toBe(chunkRows);
    expect(rows.reduce((sum, n) => sum + Math.max(1, Math.ceil(n / chunkRows)), 0)).toBe(steps);
    expect(steps).toBeLessThanOrEqual(MAX_CHUNK_STEPS);
  });
});
