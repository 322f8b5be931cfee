import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, setDatabase } from "@/db";
import { MERGE_MAX_REFUSED_ROWS_PER_BATCH, mergeImportChunk } from "@/db/queries/import-chunks";
import { contacts } from "@/db/schema";
import { inspectImport } from "@/lib/imports/run-import";
import type { ValidContactRow } from "@/core/imports/validate-import-record";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createImportFrom, errorRows, importRow, setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";
import { createTestDatabase } from "@/test/support/database";
import { createWireServerDatabase } from "@/test/support/wire-server-database";

/**
 * The merge's own safety net: rows handed to it directly, past every check before staging,
 * with values the database refuses. Each costs its own row, on every staging path.
 */
const env = await setUpImportEnvironment();
afterAll(() => env.tearDown());

const validRow = (line: number, values: Partial<ValidContactRow>): ValidContactRow => ({
  line,
  email: `row${line}@example.com`,
  phone: null,
  firstName: null,
  lastName: null,
  locale: null,
  timezone: null,
  birthday: null,
  birthdayMonth: null,
  birthdayDay: null,
  lists: [],
  attributes: {},
  ...values,
});

async function* batchesOf(batches: ValidContactRow[][]): AsyncGenerator<ValidContactRow[]> {
  for (const batch of batches) yield batch;
}

describe.each([
  [process.env.TEST_DATABASE_URL ? "PostgreSQL" : "in-process PGlite", createTestDatabase],
  ["the embedded wire server", createWireServerDatabase],
] as const)("a value the database refuses, on %s", (_name, open) => {
  let database: Database;
  // db/ sits below the logger: the database's words go back to the caller, never to the console.
  const consoleWarn = vi.spyOn(console, "warn");
  beforeAll(async () => {
    database = await open();
    setDatabase(database);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await database.close();
  });

  async function runningImport(name: string) {
    const { workspace } = await createWorkspace(database.db, { name });
    const { row } = await createImportFrom(database, workspace.id, { name: `${name}.csv`, text: `email\n${name}@example.com\n` });
    const ids = { workspaceId: workspace.id, importId: row.id };
    await inspectImport(database, createFileStorage(), ids);
    return ids;
  }

  const summary = (records: number) => () => ({ next: { recordIndex: records, line: records + 2, byteOffset: null }, records, failedRows: 0, skippedRows: 0, problems: [] });

  it("costs its row only: the batch is merged again in parts and the rest of the chunk lands", { timeout: 60_000 }, async () => {
    const ids = await runningImport("refused");
    const batches = [
      [
        validRow(2, {}),
        validRow(3, { firstName: "Nul\u0000" }),
        validRow(4, { birthday: "2023-02-30" }),
        validRow(5, {}),
        validRow(6, { attributes: { notes: "half \ud83d a pair" } }),
      ],
      [validRow(7, {}), validRow(8, { lastName: "x\u0000" })],
    ];
    const result = await mergeImportChunk(database, { ...ids, fromRecordIndex: 0, batches: batchesOf(batches), summary: summary(7) });
    expect(result).toMatchObject({ merged: true, totals: { processed: 7, inserted: 3, failed: 4 } });
    const refused = result.merged ? result.refused : [];
    expect(refused.map((row) => row.line)).toEqual([3, 4, 6, 8]);
    for (const row of refused) expect(row.message).not.toBe("");
    expect(consoleWarn).not.toHaveBeenCalled();

    const stored = await database.db.select({ email: contacts.email }).from(contacts).where(eq(contacts.workspaceId, ids.workspaceId)).orderBy(contacts.email);
    expect(stored.map((row) => row.email)).toEqual(["row2@example.com", "row5@example.com", "row7@example.com"]);
    const report = await errorRows(database, ids.importId);
    expect(report.map((row) => row.line)).toEqual([3, 4, 6, 8]);
    for (const row of report) {
      expect(row).toMatchObject({ column: null, value: null });
      expect(row.reason).toMatch(/^a value in this row could not be stored \(database error 2\d[0-9A-Z]{3}\); row not imported$/);
    }
    expect(await importRow(database, ids.workspaceId, ids.importId)).toMatchObject({ status: "running", cursor: { recordIndex: 7 } });
  });

  it(`fails the chunk, writing nothing, when more than ${MERGE_MAX_REFUSED_ROWS_PER_BATCH} rows of a batch are refused`, { timeout: 120_000 }, async () => {
    const ids = await runningImport("systemic");
    const rows = Array.from({ length: MERGE_MAX_REFUSED_ROWS_PER_BATCH + 2 }, (_, i) => validRow(i + 2, i === 0 ? {} : { firstName: "\u0000" }));
    const merging = mergeImportChunk(database, { ...ids, fromRecordIndex: 0, batches: batchesOf([rows]), summary: summary(rows.length) });
    await expect(merging).rejects.toMatchObject({ code: expect.stringMatching(/^22/) });
    expect(await database.db.select().from(contacts).where(eq(contacts.workspaceId, ids.workspaceId))).toEqual([]);
    expect(await errorRows(database, ids.importId)).toEqual([]);
    expect(await importRow(database, ids.workspaceId, ids.importId)).toMatchObject({ processed: 0, cursor: { recordIndex: 0 } });
  });
});
