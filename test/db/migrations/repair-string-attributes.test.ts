import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, MIGRATIONS_DIR } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

/** The repair migration's statements, found by name (migration numbers change when branches merge). */
function repairStatements(): string[] {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const tag = journal.entries.find((entry) => entry.tag.endsWith("_repair_string_attributes"))?.tag;
  if (!tag) throw new Error("no repair_string_attributes migration in the journal");
  return fs
    .readFileSync(path.join(MIGRATIONS_DIR, `${tag}.sql`), "utf8")
    .split("--> statement-breakpoint")
    .map((statement) => statement.trim())
    .filter(Boolean);
}

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Repair" }));
});
afterAll(() => database.close());

// Stored attributes (as jsonb text) → what the repair leaves.
const CASES: [string, string, unknown][] = [
  ["a string holding an object becomes the object", String.raw`"{\"company\":\"Acme\",\"plan\":\"pro\"}"`, { company: "Acme", plan: "pro" }],
  [
    "the issue's array (import string, then two enrichment appends) becomes one object, later elements winning",
    String.raw`["{\"company\":\"Acme\"}", {"company": "Acme Corp"}, {"domain": "acme.com"}]`,
    { company: "Acme Corp", domain: "acme.com" },
  ],
  [
    "an object an upsert import appended a string to is merged the same way",
    String.raw`[{"plan": "pro", "seats": 3}, "{\"plan\":\"enterprise\"}"]`,
    { plan: "enterprise", seats: 3 },
  ],
  ["strings holding empty objects merge to an empty object", String.raw`["{}", "{}"]`, {}],
  ["a real object is left alone", `{"company": "Acme", "tags": ["a", "b"], "nested": {"x": 1}}`, { company: "Acme", tags: ["a", "b"], nested: { x: 1 } }],
  ["a string that holds no object is left alone", `"hello"`, "hello"],
  ["a string that holds an array is left alone", String.raw`"[1, 2]"`, "[1, 2]"],
  ["text that does not parse is left alone, not a failed migration", String.raw`"{\"company\": "`, '{"company": '],
  ["JSON text jsonb refuses (a NUL escape) is left alone too", String.raw`"{\"a\":\"\\u0000\"}"`, String.raw`{"a":"\u0000"}`],
  ["an array with an element that is no object is left alone", String.raw`["{\"a\":1}", 5]`, ['{"a":1}', 5]],
  ["an empty array is left alone", `[]`, []],
];

type Stored = { email: string; type: string; attributes: unknown; version: string };

const storedRows = async () =>
  rowsOf<Stored>(
    await database.db.execute(sql`
      select email, jsonb_typeof(attributes) as type, attributes, xmin::text as version from contacts
      where workspace_id = ${workspaceId}::uuid order by email`),
  );

describe("the repair_string_attributes migration", () => {
  it("repairs corrupted attributes, leaves everything else alone, and changes nothing when run again", async () => {
    for (const [index, [, stored]] of CASES.entries()) {
      await database.db.execute(sql`
        insert into contacts (workspace_id, email, attributes)
        values (${workspaceId}::uuid, ${`c${String(index).padStart(2, "0")}@example.com`}, ${stored}::jsonb)`);
    }
    const before = await storedRows();
    expect(before.filter((row) => row.type === "string")).toHaveLength(5);

    for (const statement of repairStatements()) await database.db.execute(sql.raw(statement));
    const repaired = await storedRows();
    expect(Object.fromEntries(repaired.map((row, index) => [CASES[index]![0], row.attributes]))).toEqual(
      Object.fromEntries(CASES.map(([name, , expected]) => [name, expected])),
    );
    // Rows that were fine were not written at all.
    for (const index of [4, 5, 6, 7, 8, 9, 10]) expect(repaired[index]!.version).toBe(before[index]!.version);

    for (const statement of repairStatements()) await database.db.execute(sql.raw(statement));
    expect(await storedRows()).toEqual(repaired);
  });
});
