import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { cancelImport } from "@/db/queries/imports";
import { insertList } from "@/db/queries/lists";
import { isSuppressed, suppress } from "@/db/queries/suppressions";
import { contacts, listMembers } from "@/db/schema";
import { EMBEDDED_IMPORT_CHUNK_ROWS, importChunk, inspectImport } from "@/lib/imports/run-import";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { contactCount, createImportFrom, errorRows, FIXTURES_DIR, type ImportOptions, importRow, runImport, sentEvents, setUpImportTestFile } from "./import-harness";

let database: Database;
const env = await setUpImportTestFile((opened) => (database = opened));
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");


async function workspace() {
  const { workspace } = await createWorkspace(database.db, { name: `w-${crypto.randomUUID()}` });
  return workspace.id;
}

async function importText(workspaceId: string, text: string, options: ImportOptions = {}) {
  const { row, created } = await createImportFrom(database, workspaceId, { name: "contacts.csv", text }, options);
  const run = await runImport(importContacts, workspaceId, row.id);
  return { created, run, importId: row.id, row: await importRow(database, workspaceId, row.id) };
}

async function contactByEmail(workspaceId: string, email: string) {
  const [row] = await database.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.email, email)));
  return row;
}

const FILE = "email,first name,plan\nold@example.com,New,pro\nnew@example.com,Nia,free\n";

describe("import modes against existing contacts", () => {
  async function withExisting() {
    const workspaceId = await workspace();
    await database.db.insert(contacts).values({ workspaceId, email: "old@example.com", firstName: "Old", attributes: { source: "api" } });
    return workspaceId;
  }

  it("upsert: updates existing contacts with the file's values and merges attributes", async () => {
    const workspaceId = await withExisting();
    const { row } = await importText(workspaceId, FILE, { mode: "upsert" });
    expect(row).toMatchObject({ status: "completed", inserted: 1, updated: 1, skipped: 0, failed: 0 });
    expect(await contactByEmail(workspaceId, "old@example.com")).toMatchObject({ firstName: "New", attributes: { source: "api", plan: "pro" } });
  });

  it("create-only: reports existing contacts as failed rows and leaves them untouched", async () => {
    const workspaceId = await withExisting();
    const { row, importId } = await importText(workspaceId, FILE, { mode: "create-only" });
    expect(row).toMatchObject({ inserted: 1, updated: 0, skipped: 0, failed: 1 });
    expect(await errorRows(database, importId)).toEqual([
      { line: 2, column: "email", reason: "a contact with this email already exists", value: "old@example.com" },
    ]);
    expect(await contactByEmail(workspaceId, "old@example.com")).toMatchObject({ firstName: "Old", attributes: { source: "api" } });
  });

  it("skip-existing: leaves existing contacts alone and counts them as skipped", async () => {
    const workspaceId = await withExisting();
    const { row, importId } = await importText(workspaceId, FILE, { mode: "skip-existing" });
    expect(row).toMatchObject({ inserted: 1, updated: 0, skipped: 1, failed: 0 });
    expect(await errorRows(database, importId)).toEqual([]);
    expect(await contactByEmail(workspaceId, "old@example.com")).toMatchObject({ firstName: "Old" });
  });

  it("never resubscribes an unsubscribed contact nor clears a suppression", async () => {
    const workspaceId = await workspace();
    const unsubscribedAt = new Date("2024-01-02T03:04:05.678Z");
    await database.db.insert(contacts).values({ workspaceId, email: "gone@example.com", status: "unsubscribed", unsubscribedAt });
    await suppress(database.db, { workspaceId, channel: "email", address: "gone@example.com", reason: "complaint" });
    const { row } = await importText(workspaceId, "email,first name,status,unsubscribed\nGONE@example.com,Gina,subscribed,no\n");
    expect(row).toMatchObject({ updated: 1, failed: 0 });
    expect(await contactByEmail(workspaceId, "gone@example.com")).toMatchObject({ firstName: "Gina", status: "unsubscribed", unsubscribedAt });
    expect(await isSuppressed(database.db, { workspaceId, channel: "email", address: "gone@example.com" })).toBe(true);
  });

  it("matches by phone when the email is new; a phone that belongs to someone else is left out with a warning, the contact imported", async () => {
    const workspaceId = await workspace();
    await database.db.insert(contacts).values([
      { workspaceId, phone: "+14155550100", firstName: "Phone only" },
      { workspaceId, email: "owner@example.com", phone: "+14155550111" },
      { workspaceId, email: "known@example.com", firstName: "Known" },
      { workspaceId, phone: "+14155550122", firstName: "Someone else" },
    ]);
    const { row, importId } = await importText(
      workspaceId,
      "email,phone,first name\nfound@example.com,+1 415 555 0100,\nthief@example.com,+14155550111,Tess\nknown@example.com,+14155550122,Kim\n",
    );
    expect(row).toMatchObject({ inserted: 1, updated: 2, failed: 0 });
    expect(await contactByEmail(workspaceId, "found@example.com")).toMatchObject({ phone: "+14155550100", firstName: "Phone only" });
    expect(await contactByEmail(workspaceId, "thief@example.com")).toMatchObject({ phone: null, firstName: "Tess" });
    expect(await contactByEmail(workspaceId, "known@example.com")).toMatchObject({ phone: null, firstName: "Kim" });
    expect(await contactByEmail(workspaceId, "owner@example.com")).toMatchObject({ phone: "+14155550111" });
    expect(await errorRows(database, importId)).toEqual([
      { line: 3, column: "phone", reason: "warning: phone already belongs to another contact; imported without it", value: "+14155550111" },
      { line: 4, column: "phone", reason: "warning: phone already belongs to another contact; imported without it", value: "+14155550122" },
    ]);
  });
});

describe("lists, duplicates and idempotency", () => {
  it("adds imported and existing contacts to the list", async () => {
    const workspaceId = await workspace();
    const list = (await insertList(database.db, { workspaceId, name: "Imported", description: null }))!;
    await database.db.insert(contacts).values({ workspaceId, email: "old@example.com" });
    const { row } = await importText(workspaceId, FILE, { mode: "skip-existing", listId: list.id });
    expect(row).toMatchObject({ inserted: 1, skipped: 1 });
    const members = await database.db.select().from(listMembers).where(eq(listMembers.listId, list.id));
    expect(members).toHaveLength(2);
  });

  it("skips a duplicate in a later chunk with the line it repeats", async () => {
    const workspaceId = await workspace();
    const text = "email,first name\na@example.com,A\nb@example.com,B\nc@example.com,C\nA@Example.com,A again\n";
    const { row, importId } = await importText(workspaceId, text, { chunkRows: 2 });
    expect(row).toMatchObject({ total: 4, processed: 4, inserted: 3, skipped: 1, failed: 0 });
    expect(await errorRows(database, importId)).toEqual([
      { line: 5, column: null, reason: "skipped: duplicate of line 2 (same contact)", value: "a@example.com" },
    ]);
    expect(await contactByEmail(workspaceId, "a@example.com")).toMatchObject({ firstName: "A" });
  });

  it("posting the same file twice creates nothing new", async () => {
    const workspaceId = await workspace();
    const first = await importText(workspaceId, FILE);
    const second = await importText(workspaceId, FILE);
    expect(second.created).toBe(false);
    expect(second.importId).toBe(first.importId);
    expect(second.row).toMatchObject({ status: "completed", inserted: 2, updated: 0 });
    expect(await contactCount(database, workspaceId)).toBe(2);
    // A different mode is a different import.
    const third = await importText(workspaceId, FILE, { mode: "skip-existing" });
    expect(third.created).toBe(true);
    expect(third.row).toMatchObject({ inserted: 0, skipped: 2 });
  });

  it("announces a finished import with one event whose id derives from the import, never one event per contact", async () => {
    const workspaceId = await workspace();
    const before = env.recorder.events.length;
    const { row } = await createImportFrom(database, workspaceId, { name: "x.csv", text: "email\nx1@example.com\nx2@example.com\nx3@example.com\n" }, { chunkRows: 2 });
    const { error, ctx } = await runImport(importContacts, workspaceId, row.id);
    expect(error).toBeUndefined();
    expect(sentEvents(ctx)).toEqual([
      { name: "import/contacts.completed", id: `import-completed-${row.id}`, data: { workspaceId, importId: row.id, inserted: 3 } },
    ]);
    // …and nothing else went out: no contact/created per row.
    expect(env.recorder.events.slice(before).map((event) => event.name)).toEqual(["import/contacts.completed"]);
  });

  it("announces nothing when an import inserted no contact", async () => {
    const workspaceId = await workspace();
    const { row } = await createImportFrom(database, workspaceId, { name: "bad.csv", text: "email\nnot-an-address\n" });
    const { error, ctx } = await runImport(importContacts, workspaceId, row.id);
    expect(error).toBeUndefined();
    expect(sentEvents(ctx)).toEqual([]);
  });

  it("a chunk that already committed (crash before the step result was saved) is not written again", async () => {
    const workspaceId = await workspace();
    const text = "email\nr1@example.com\nr2@example.com\nr3@example.com\nr4@example.com\nr5@example.com\n";
    const { row } = await createImportFrom(database, workspaceId, { name: "r.csv", text }, { chunkRows: 2 });
    const ids = { workspaceId, importId: row.id };
    const live = await import("@/db");
    const storage = createFileStorage();
    const inspected = await inspectImport(await live.getDatabase(), storage, ids);
    if (!("total" in inspected)) throw new Error("not running");
    // Chunks 0 and 1 commit outside the run, as if the process died before reporting them.
    await importChunk(await live.getDatabase(), storage, { ...ids, n: 0, inspected });
    await importChunk(await live.getDatabase(), storage, { ...ids, n: 1, inspected });
    expect(await importChunk(await live.getDatabase(), storage, { ...ids, n: 0, inspected })).toEqual({ done: false, processed: 4 });
    await runImport(importContacts, workspaceId, row.id);
    expect(await importRow(database, workspaceId, row.id)).toMatchObject({ status: "completed", processed: 5, inserted: 5, skipped: 0 });
    expect(await contactCount(database, workspaceId)).toBe(5);
  });

  it("on the embedded database a chunk holds the one backend for at most 2,000 records; a server takes the chunk size asked for", async () => {
    const workspaceId = await workspace();
    const text = `email\n${Array.from({ length: 4_500 }, (_, i) => `big${i}@example.com`).join("\n")}\n`;
    const { row } = await createImportFrom(database, workspaceId, { name: "big.csv", text }, { chunkRows: 20_000 });
    const live = await (await import("@/db")).getDatabase();
    const inspected = await inspectImport(live, createFileStorage(), { workspaceId, importId: row.id });
    // Every other query — each dashboard page — waits while a PGlite transaction is open.
    expect(inspected).toMatchObject({ status: "running", chunkRows: live.kind === "postgres" ? 20_000 : EMBEDDED_IMPORT_CHUNK_ROWS });
    await runImport(importContacts, workspaceId, row.id);
    expect(await importRow(database, workspaceId, row.id)).toMatchObject({ status: "completed", processed: 4_500, inserted: 4_500 });
  });

  it("cancelling stops further chunks", async () => {
    const workspaceId = await workspace();
    const text = `email\n${Array.from({ length: 10 }, (_, i) => `c${i}@example.com`).join("\n")}\n`;
    const { row } = await createImportFrom(database, workspaceId, { name: "c.csv", text }, { chunkRows: 2 });
    const live = await import("@/db");
    const engineRun = await import("@inngest/test").then(({ InngestTestEngine }) =>
      new InngestTestEngine({
        function: importContacts as never,
        steps: [
          {
            id: "import-chunk-1",
            // The user cancels while chunk 1 is about to run; the real chunk then finds it cancelled.
            handler: async () => {
              const ids = { workspaceId, importId: row.id };
              const inspected = await inspectImport(await live.getDatabase(), createFileStorage(), ids);
              if (!("total" in inspected)) throw new Error("not running");
              await cancelImport(database.db, ids);
              return importChunk(await live.getDatabase(), createFileStorage(), { ...ids, n: 1, inspected });
            },
          },
        ],
      }).execute({ events: [{ name: "import/contacts.requested", data: { workspaceId, importId: row.id } } as never] }),
    );
    expect(engineRun.error).toBeUndefined();
    expect(await importRow(database, workspaceId, row.id)).toMatchObject({ status: "cancelled", processed: 2, inserted: 2 });
    expect(await contactCount(database, workspaceId)).toBe(2);
  });
});

describe("exports from other tools (issue 10: the first file a new user has)", () => {
  async function importFixture(file: string) {
    const workspaceId = await workspace();
    const { row } = await createImportFrom(database, workspaceId, { path: path.join(FIXTURES_DIR, "exports", file) });
    await runImport(importContacts, workspaceId, row.id);
    return { workspaceId, row: await importRow(database, workspaceId, row.id) };
  }

  it("a Google Contacts export imports all 5 contacts (it imported 0: 'E-mail 1 - Value' was not recognised and --11-23 rejected the row)", async () => {
    const { workspaceId, row } = await importFixture("google-contacts.csv");
    expect(row).toMatchObject({ status: "completed", total: 5, inserted: 5, failed: 0 });
    expect(await contactByEmail(workspaceId, "bob@example.com")).toMatchObject({ phone: "+14155550134", birthday: null, birthdayMonth: 11, birthdayDay: 23 });
  });

  it("a Mailchimp export imports all 3 contacts (it imported 1: its MM/DD birthdays rejected whole rows)", async () => {
    const { workspaceId, row } = await importFixture("mailchimp.csv");
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 3, failed: 0 });
    expect(await contactByEmail(workspaceId, "ann@example.com")).toMatchObject({ birthdayMonth: 11, birthdayDay: 23, timezone: "America/Chicago" });
  });
});
