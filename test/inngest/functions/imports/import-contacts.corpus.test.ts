import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
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
 * Rejections the reader cannot know about: phone numbers that are not valid in the workspace's
 * region (US, the default). Excel drops a number's leading "+", and guessing it back would turn
 * some national numbers into foreign ones, so these stay errors — as in the contacts API.
 */
const VALIDATION_ERRORS: Record<string, Issue[]> = {
  "basic.csv": [{ line: 3, column: "Phone Number", reason: "phone is not a valid number for US" }],
  "contacts.xlsx": [
    { line: 4, column: "Mobile", reason: "phone is not a valid number for US" },
    { line: 6, column: "Mobile", reason: "phone is not a valid number for US" },
  ],
};

describe("import-contacts over the fixture corpus", () => {
  const readable = fixtures.filter(([, spec]) => !spec.fatal && !spec.validation);

  it.each(readable)("%s: every record is inserted or reported", async (name, spec) => {
    const { workspaceId, importId, row } = await importFixture(name);
    const issues = [...(spec.errors ?? []), ...(VALIDATION_ERRORS[name] ?? [])];
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
    expect(errors).toHaveLength(issues.length);
    for (const issue of issues) {
      expect(errors).toContainEqual(expect.objectContaining({ line: issue.line, column: issue.column, reason: expect.stringContaining(issue.reason) }));
    }
  });

  it("invalid-values.csv: rejects each invalid value with its column, keeps the valid rows", async () => {
    const spec = expected["invalid-values.csv"]!.validation as Record<string, string[] | number>;
    const { importId, row } = await importFixture("invalid-values.csv");
    expect(row).toMatchObject({ status: "completed", total: 6, inserted: spec.fullyValidRows, failed: 6 - (spec.fullyValidRows as number), skipped: 0 });
    const errors = await errorRows(database, importId);
    const valuesIn = (column: string) => errors.filter((error) => error.column === column).map((error) => error.value);
    expect(valuesIn("email").sort()).toEqual([...(spec.invalidEmails as string[])].sort());
    expect(valuesIn("phone").sort()).toEqual([...(spec.invalidPhones as string[])].sort());
    expect(valuesIn("birthday").sort()).toEqual([...(spec.invalidBirthdays as string[]), ...(spec.ambiguousBirthdays as string[])].sort());
    expect(valuesIn("timezone")).toEqual(spec.invalidTimezones);
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
