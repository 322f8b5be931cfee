import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, setDatabase } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { countContactsMatching } from "@/db/queries/segments";
import type { SegmentFilter } from "@/core/segments/segment-filter";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";
import { createWireServerDatabase } from "@/test/support/wire-server-database";
import { createImportFrom, importRow, runImport, sentEvents, setUpImportEnvironment } from "./import-harness";

/**
 * How imports store attributes, on each of the three staging paths: COPY into in-process PGlite
 * (the test database without TEST_DATABASE_URL), COPY into PostgreSQL (with it), and the one
 * json parameter the embedded wire server of `npm run dev` takes. Whatever the path, an
 * imported contact's attributes are a jsonb object that enrichment extends and segments match.
 */
const env = await setUpImportEnvironment();
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");
const { enrichImportedContacts } = await import("@/inngest/functions/contacts/enrich-imported-contacts");
afterAll(() => env.tearDown());

const paths: [string, () => Promise<Database>][] = [
  [process.env.TEST_DATABASE_URL ? "COPY into PostgreSQL" : "COPY into in-process PGlite", createTestDatabase],
  ["the embedded wire server's json parameter", createWireServerDatabase],
];

// Values that look like JSON, quote and brace, stay the strings the file had.
const FIRST_FILE = [
  "email,first name,company,plan,notes",
  'ann@acme-corp.co.uk,Ann,,pro,"said ""hi"", then {left}"',
  "bo@gmail.com,Bo,Bo Inc,free,",
  'cy@widgets.io,Cy,Widgets International,pro,"{""a"":1}"',
  "di@blank.dev,Di,,basic,[1]",
].join("\n");

const stored = async (database: Database, workspaceId: string) =>
  rowsOf<{ email: string; type: string; attributes: Record<string, unknown> }>(
    await database.db.execute(sql`
      select email, jsonb_typeof(attributes) as type, attributes from contacts
      where workspace_id = ${workspaceId}::uuid order by email`),
  );

describe.each(paths)("imported attributes, through %s", (_path, open) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    setDatabase(database);
  });
  afterAll(() => database.close());

  it("are jsonb objects that enrichment extends, an upsert merges into, and segments match", { timeout: 60_000 }, async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Attributes" });
    const count = (filter: SegmentFilter) => countContactsMatching(database.db, { workspaceId: workspace.id, filter });
    const first = await createImportFrom(database, workspace.id, { name: "first.csv", text: FIRST_FILE });
    const imported = await runImport(importContacts, workspace.id, first.row.id);
    expect(imported.error).toBeUndefined();
    expect(await importRow(database, workspace.id, first.row.id)).toMatchObject({ status: "completed", inserted: 4, failed: 0 });
    expect(await stored(database, workspace.id)).toEqual([
      { email: "ann@acme-corp.co.uk", type: "object", attributes: { plan: "pro", notes: 'said "hi", then {left}' } },
      { email: "bo@gmail.com", type: "object", attributes: { company: "Bo Inc", plan: "free" } },
      { email: "cy@widgets.io", type: "object", attributes: { company: "Widgets International", plan: "pro", notes: '{"a":1}' } },
      { email: "di@blank.dev", type: "object", attributes: { plan: "basic", notes: "[1]" } },
    ]);

    // The import's completion event, handed to the function that enriches what it inserted.
    const completed = sentEvents(imported.ctx);
    expect(completed).toHaveLength(1);
    const enriched = await new InngestTestEngine({ function: enrichImportedContacts }).execute({ events: completed as never });
    expect(enriched.error).toBeUndefined();
    expect(enriched.result).toMatchObject({ enriched: 4, filled: 3 });

    const upsert = await createImportFrom(database, workspace.id, { name: "second.csv", text: "email,plan\nann@acme-corp.co.uk,enterprise\n" });
    expect((await runImport(importContacts, workspace.id, upsert.row.id)).error).toBeUndefined();
    expect(await importRow(database, workspace.id, upsert.row.id)).toMatchObject({ status: "completed", updated: 1 });

    expect(await stored(database, workspace.id)).toEqual([
      {
        email: "ann@acme-corp.co.uk",
        type: "object",
        attributes: { plan: "enterprise", notes: 'said "hi", then {left}', company: "Acme Corp", domain: "acme-corp.co.uk" },
      },
      // Free mail: neither company nor domain is filled.
      { email: "bo@gmail.com", type: "object", attributes: { company: "Bo Inc", plan: "free" } },
      // The file's company wins; the missing domain is filled.
      { email: "cy@widgets.io", type: "object", attributes: { company: "Widgets International", plan: "pro", notes: '{"a":1}', domain: "widgets.io" } },
      { email: "di@blank.dev", type: "object", attributes: { plan: "basic", notes: "[1]", company: "Blank", domain: "blank.dev" } },
    ]);

    expect(await count({ attribute: "domain", op: "exists", value: true })).toBe(3);
    expect(await count({ all: [{ attribute: "plan", op: "eq", value: "pro" }, { attribute: "domain", op: "exists", value: true }] })).toBe(1);
    expect(await count({ attribute: "company", op: "eq", value: "Acme Corp" })).toBe(1);
    expect(await count({ attribute: "plan", op: "in", value: ["enterprise", "free", "basic"] })).toBe(3);
    expect(await count({ attribute: "notes", op: "starts_with", value: "said" })).toBe(1);
  });
});
