import { expect, it } from "vitest";
import type { Database } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { contactCount, createImportFrom, generatedCsv, importRow, runImport, sentEvents, setUpImportTestFile } from "./import-harness";

let database: Database;
const env = await setUpImportTestFile((opened) => (database = opened));
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");
const ROWS = 100_000;


it(`imports a generated ${ROWS.toLocaleString("en-US")}-row CSV in 5,000-row chunks`, { timeout: 120_000 }, async () => {
  const { workspace } = await createWorkspace(database.db, { name: "Large" });
  // Every 1,000th row repeats an earlier email, and every 1,000th (offset) has neither a valid
  // email nor a valid phone (one bad value alone would only be a warning).
  const lines = generatedCsv(ROWS).trimEnd().split("\n");
  for (let i = 1_000; i < lines.length; i += 1_000) lines[i] = lines[i]!.replace(/^user\d+@/, "user1@");
  for (let i = 1_500; i < lines.length; i += 1_000) lines[i] = lines[i]!.replace(/^user\d+@[^,]*,\+1415\d+,/, "not-an-email,12,");
  const { row } = await createImportFrom(database, workspace.id, { name: "large.csv", text: `${lines.join("\n")}\n` }, { chunkRows: 5_000 });
  const started = Date.now();
  const { error, ctx } = await runImport(importContacts, workspace.id, row.id);
  console.log(`${ROWS} rows imported in ${Date.now() - started} ms`);
  expect(error).toBeUndefined();
  const duplicates = 100; // records 1000, 2000, … 100000 (array index = record number)
  const invalid = 99; // records 1500, … 99500
  expect(await importRow(database, workspace.id, row.id)).toMatchObject({
    status: "completed",
    total: ROWS,
    processed: ROWS,
    inserted: ROWS - duplicates - invalid,
    skipped: duplicates,
    failed: invalid,
  });
  expect(await contactCount(database, workspace.id)).toBe(ROWS - duplicates - invalid);
  // One event announces the import, whatever its size.
  expect(sentEvents(ctx)).toEqual([
    { name: "import/contacts.completed", id: `import-completed-${row.id}`, data: { workspaceId: workspace.id, importId: row.id, inserted: ROWS - duplicates - invalid } },
  ]);
  expect(env.recorder.events.map((event) => event.name)).toEqual(["import/contacts.completed"]);
});
