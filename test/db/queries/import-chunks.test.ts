import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, importErrors } from "@/db/schema";
import { mergeImportChunk } from "@/db/queries/import-chunks";
import { importChunk, inspectImport } from "@/lib/imports/run-import";
import type { ValidContactRow } from "@/core/imports/validate-import-record";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createImportFrom, importRow, setUpImportTestFile } from "@/test/inngest/functions/imports/import-harness";

let database: Database;
await setUpImportTestFile((opened) => (database = opened));


async function importInOneChunk(workspaceId: string, text: string) {
  const { row } = await createImportFrom(database, workspaceId, { name: "race.csv", text });
  const ids = { workspaceId, importId: row.id };
  const inspected = await inspectImport(database, createFileStorage(), ids);
  if (!("total" in inspected)) throw new Error(`import did not start: ${inspected.status}`);
  return { ids, chunk: () => importChunk(database, createFileStorage(), { ...ids, n: 0, inspected }) };
}

function validRow(line: number, values: Partial<ValidContactRow>): ValidContactRow {
  return { line, email: null, phone: null, firstName: null, lastName: null, locale: null, timezone: null, birthday: null, birthdayMonth: null, birthdayDay: null, attributes: {}, lists: [], ...values };
}

/** Hands the batches over one at a time, recording when each was asked for. */
async function* batchesOf(batches: ValidContactRow[][], log: string[], failAfter?: number): AsyncGenerator<ValidContactRow[]> {
  for (const [index, batch] of batches.entries()) {
    if (index === failAfter) throw new Error("the file could not be read further");
    log.push(`read ${index}`);
    yield batch;
  }
}

describe("mergeImportChunk", () => {
  it("merges a chunk batch by batch: a later batch sees the contacts an earlier one wrote", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "batches" });
    await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "old@example.com", firstName: "Old" });
    const { ids } = await importInOneChunk(workspace.id, "email\nx@example.com\n");
    const log: string[] = [];
    const batches = [
      [validRow(2, { email: "a@example.com", phone: "+14155550101" }), validRow(3, { email: "b@example.com" })],
      // Line 2's contact again, by its phone: a duplicate of what batch 0 just wrote.
      [validRow(4, { phone: "+14155550101" }), validRow(5, { email: "old@example.com", firstName: "New" })],
      [validRow(6, { email: "c@example.com" })],
    ];
    const result = await mergeImportChunk(database, {
      ...ids,
      fromRecordIndex: 0,
      batches: batchesOf(batches, log),
      summary: () => ({ next: { recordIndex: 7, line: 9, byteOffset: 100 }, records: 7, failedRows: 1, skippedRows: 1, problems: [] }),
    });
    expect(log).toEqual(["read 0", "read 1", "read 2"]);
    expect(result).toMatchObject({ merged: true, totals: { processed: 7, inserted: 3, updated: 1, skipped: 2, failed: 1 } });
    const emails = await database.db.select({ email: contacts.email, firstName: contacts.firstName }).from(contacts).where(eq(contacts.workspaceId, workspace.id)).orderBy(contacts.email);
    expect(emails).toEqual([
      { email: "a@example.com", firstName: null },
      { email: "b@example.com", firstName: null },
      { email: "c@example.com", firstName: null },
      { email: "old@example.com", firstName: "New" },
    ]);
    const errors = await database.db.select({ line: importErrors.line, reason: importErrors.reason }).from(importErrors).where(eq(importErrors.importId, ids.importId));
    expect(errors).toEqual([{ line: 4, reason: "skipped: duplicate of line 2 (same contact)" }]);
    expect(await importRow(database, workspace.id, ids.importId)).toMatchObject({ cursor: { recordIndex: 7 } });
  });

  it("skips a row naming a contact pending erasure, with a warning, and never writes to it or un-hides it", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "hidden" });
    const hiddenAt = new Date("2026-12-01T00:00:00Z");
    const [hidden] = await database.db
      .insert(contacts)
      .values({ workspaceId: workspace.id, email: "hidden@example.com", phone: "+14155550155", firstName: "Hidden", erasureRequestedAt: hiddenAt })
      .returning();
    const { ids } = await importInOneChunk(workspace.id, "email\nx@example.com\n");
    const result = await mergeImportChunk(database, {
      ...ids,
      fromRecordIndex: 0,
      batches: batchesOf([[validRow(2, { email: "hidden@example.com", firstName: "Changed" }), validRow(3, { phone: "+14155550155" }), validRow(4, { email: "new@example.com" })]], []),
      summary: () => ({ next: { recordIndex: 3, line: 5, byteOffset: 100 }, records: 3, failedRows: 0, skippedRows: 0, problems: [] }),
    });
    expect(result).toMatchObject({ merged: true, totals: { inserted: 1, updated: 0, skipped: 2, failed: 0 } });
    const [after] = await database.db.select().from(contacts).where(eq(contacts.id, hidden!.id));
    expect(after).toEqual(hidden);
    const errors = await database.db.select({ line: importErrors.line, column: importErrors.column, reason: importErrors.reason, value: importErrors.value }).from(importErrors).where(eq(importErrors.importId, ids.importId)).orderBy(importErrors.line);
    expect(errors).toEqual([
      { line: 2, column: "email", reason: "skipped: this contact is pending erasure; the row was not imported", value: null },
      { line: 3, column: "phone", reason: "skipped: this contact is pending erasure; the row was not imported", value: null },
    ]);
  });

  it("a read that fails part-way writes nothing of the chunk, not even the batches already merged", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "fails" });
    const { ids } = await importInOneChunk(workspace.id, "email\nx@example.com\n");
    const log: string[] = [];
    const merging = mergeImportChunk(database, {
      ...ids,
      fromRecordIndex: 0,
      batches: batchesOf([[validRow(2, { email: "a@example.com" })], [validRow(3, { email: "b@example.com" })], [validRow(4, { email: "c@example.com" })]], log, 2),
      summary: () => {
        throw new Error("summary must not be asked for");
      },
    });
    await expect(merging).rejects.toThrow("the file could not be read further");
    expect(log).toEqual(["read 0", "read 1"]);
    expect(await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id))).toEqual([]);
    expect(await importRow(database, workspace.id, ids.importId)).toMatchObject({ status: "running", processed: 0, cursor: { recordIndex: 0 } });
  });

  it("gives new contacts time-ordered (v7) ids", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "v7" });
    const { chunk } = await importInOneChunk(workspace.id, "email\na@example.com\nb@example.com\nc@example.com\n");
    await chunk();
    const rows = await database.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, workspace.id));
    expect(rows).toHaveLength(3);
    for (const { id } of rows) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The first 48 bits are the creation time in milliseconds.
    const ms = Number.parseInt(rows[0]!.id.replaceAll("-", "").slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  // Only a server has a second connection that can write between the chunk's matching and its
  // insert; in-process PGlite runs one statement at a time, so the race cannot happen there.
  it.runIf(process.env.TEST_DATABASE_URL)(
    "a contact another connection creates mid-chunk is reported on its row; the rest of the chunk still lands",
    async () => {
      const { workspace } = await createWorkspace(database.db, { name: "race" });
      const { ids, chunk } = await importInOneChunk(workspace.id, "email,first name\nfirst@example.com,A\nraced@example.com,B\nlast@example.com,C\n");
      const server = new URL(process.env.TEST_DATABASE_URL!);
      const [{ name }] = (await database.db.execute(sql`SELECT current_database() AS name`)) as unknown as [{ name: string }];
      server.pathname = `/${name}`;
      // Two connections: one holds the open transaction, the other watches for the chunk to wait.
      const other = postgres(server.toString(), { max: 2, onnotice: () => {} });
      try {
        // The other writer holds an uncommitted insert of the same email: the chunk's matching
        // cannot see it, and the chunk's insert waits on it until it commits.
        const reserved = await other.reserve();
        await reserved`BEGIN`;
        await reserved`INSERT INTO contacts (workspace_id, email, first_name) VALUES (${workspace.id}, 'raced@example.com', 'API')`;
        const running = chunk();
        for (let waited = 0; ; waited += 20) {
          const [blocked] = await other<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${name} AND wait_event_type = 'Lock'`;
          if (blocked!.n > 0) break;
          if (waited > 10_000) throw new Error("the chunk never waited on the other writer");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await reserved`COMMIT`;
        reserved.release();
        await running;
      } finally {
        await other.end({ timeout: 5 });
      }

      expect(await importRow(database, workspace.id, ids.importId)).toMatchObject({ processed: 3, inserted: 2, failed: 1 });
      const stored = await database.db
        .select({ email: contacts.email, firstName: contacts.firstName })
        .from(contacts)
        .where(eq(contacts.workspaceId, workspace.id))
        .orderBy(contacts.email);
      expect(stored).toEqual([
        { email: "first@example.com", firstName: "A" },
        { email: "last@example.com", firstName: "C" },
        { email: "raced@example.com", firstName: "API" },
      ]);
      const errors = await database.db
        .select({ line: importErrors.line, reason: importErrors.reason })
        .from(importErrors)
        .where(and(eq(importErrors.importId, ids.importId)));
      expect(errors).toEqual([{ line: 3, reason: expect.stringContaining("another write created this contact") }]);
    },
  );
});
