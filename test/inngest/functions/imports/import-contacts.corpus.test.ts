import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { contactCount, createImportFrom, errorRows, FIXTURES_DIR, importRow, runImport, setUpImportTestFile } from "./import-harness";

type Issue = { line: number; column: string | null; reason: string };
type Expectation = {
  records?: number;
  errors?: Issue[];
  fatal?: { code: string; message: string };
  validation?: Record<string, unknown>;
};

let database: Database;
await setUpImportTestFile((opened) => (database = opened));
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, "expected.json"), "utf8")) as Record<string, Expectation>;
const fixtures = Object.entries(expected).filter(([name]) => !name.startsWith("$"));


/** Each fixture into its own fresh workspace, so counts never depend on another fixture. */
async function importFixture(name: string) {
  const { workspace } = await createWorkspace(database.db, { name: `corpus ${name}` });
  const { row } = await createImportFrom(database, workspace.id, { path: path.join(FIXTURES_DIR, name) });
  const run = await runImport(importContacts, workspace.id, row.id);
  return { workspaceId: workspace.id, importId: row.id, run, row: await importRow(database, workspace.id, row.id) };
}

/**
 * Warnings the reader cannot know about: phone numbers that are not valid in the workspace's
 * region (US, the default). Excel drops a number's leading "+", and guessing it back would turn
 * some national numbers into foreign ones, so these are not imported — but the row has a valid
 * email, so the contact is, without the phone.
 */
const VALIDATION_WARNINGS: Record<string, Issue[]> = {
  "basic.csv": [{ line: 3, column: "Phone Number", reason: "warning: phone is not a valid number for US; imported without it" }],
  "contacts.xlsx": [
    { line: 4, column: "Mobile", reason: "warning: phone is not a valid number for US; imported without it" },
    { line: 6, column: "Mobile", reason: "warning: phone is not a valid number for US; imported without it" },
  ],
};

describe("import-contacts over the fixture corpus", () => {
  const readable = fixtures.filter(([, spec]) => !spec.fatal && !spec.validation);

  it.each(readable)("%s: every record is inserted or reported", async (name, spec) => {
    const { workspaceId, importId, row } = await importFixture(name);
    const issues = spec.errors ?? [];
    const failedLines = new Set(issues.map((issue) => issue.line));
    expect(row).toMatchObject({ status: "completed", error: null, total: spec.records, processed: spec.records, updated: 0, skipped: 0 });
    expect(row.failed).toBe(failedLines.size);
    expect(row.inserted).toBe(spec.records! - failedLines.size);
    expect(await contactCount(database, workspaceId)).toBe(row.inserted);
    const reported = await errorRows(database, importId);
    const errors = reported.filter((error) => !error.reason.startsWith("warning: "));
    // Row warnings from the reader are in the report too, marked as warnings.
    for (const warning of (spec as { rowWarnings?: Issue[] }).rowWarnings ?? []) {
      const match = reported.filter(
        (error) => error.line === warning.line && error.column === warning.column && error.reason.startsWith("warning: ") && error.reason.includes(warning.reason),
      );
      expect(match, JSON.stringify(warning)).toHaveLength(1);
    }
    for (const warning of VALIDATION_WARNINGS[name] ?? []) expect(reported).toContainEqual(expect.objectContaining(warning));
    expect(errors).toHaveLength(issues.length);
    for (const issue of issues) {
      expect(errors).toContainEqual(expect.objectContaining({ line: issue.line, column: issue.column, reason: expect.stringContaining(issue.reason) }));
    }
  });

  it("invalid-values.csv: rejects only rows without a valid email or phone; other invalid values are left out with warnings", async () => {
    const { workspaceId, importId, row } = await importFixture("invalid-values.csv");
    expect(row).toMatchObject({ status: "completed", total: 6, inserted: 4, failed: 2, skipped: 0 });
    const report = (await errorRows(database, importId)).map((error) => [error.line, error.column, error.reason, error.value]);
    expect(report).toEqual([
      [3, "email", "warning: email is not an email address; imported without it", "not-an-email"],
      [3, "birthday", "warning: birthday is not a real date; imported without it", "1990-13-45"],
      [3, "timezone", "warning: timezone is not an IANA time zone such as Europe/Paris; imported without it", "Mars/Olympus"],
      [4, "email", "email is not an email address", "missing-at.example.com"],
      [4, "phone", "phone is not a valid number for US", "12"],
      [4, "birthday", expect.stringContaining("birthday is not a date this importer reads"), "yesterday"],
      [5, "email", "email is not an email address", "two@@example.com"],
      [5, "phone", "phone is not a phone number", "phone please"],
    ]);
    const stored = await database.db.execute<{ email: string | null; phone: string | null; birthday: string | null; timezone: string | null }>(
      sql`select email, phone, birthday::text, timezone from contacts where workspace_id = ${workspaceId} order by phone, email`,
    );
    expect(rowsOf(stored)).toEqual([
      { email: "good@example.com", phone: "+14155550123", birthday: "1990-05-17", timezone: "Europe/Paris" },
      { email: null, phone: "+14155550124", birthday: null, timezone: null },
      { email: null, phone: "+14155550125", birthday: null, timezone: null },
      // 17/05/1990 can only be day first: 17 is no month.
      { email: "ok2@example.com", phone: "+442079460958", birthday: "1990-05-17", timezone: "America/New_York" },
    ]);
  });

  it("duplicates.csv: one contact per lower(email); later rows skipped with the line they repeat", async () => {
    const spec = expected["duplicates.csv"]!.validation as { distinctEmails: number; duplicateRows: number };
    const { workspaceId, importId, row } = await importFixture("duplicates.csv");
    expect(row).toMatchObject({ status: "completed", inserted: spec.distinctEmails, skipped: spec.duplicateRows, failed: 0 });
    expect(await contactCount(database, workspaceId)).toBe(spec.distinctEmails);
    const errors = await errorRows(database, importId);
    expect(errors.map((error) => [error.line, error.reason])).toEqual([
      [3, "skipped: duplicate of line 2 (same email)"],
      [5, "skipped: duplicate of line 2 (same email)"],
    ]);
  });

  it.each(fixtures.filter(([, spec]) => spec.fatal))("%s: fails the import with the reason, writes nothing", async (name, spec) => {
    const { workspaceId, run, row } = await importFixture(name);
    expect(run.error).toMatchObject({ name: "NonRetriableError" });
    expect(row.status).toBe("failed");
    expect(row.error).toContain(spec.fatal!.message);
    expect(await contactCount(database, workspaceId)).toBe(0);
  });
});
