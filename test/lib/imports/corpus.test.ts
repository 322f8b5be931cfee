import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImportFileError } from "@/core/imports/import-file-error";
import type { ImportRecord } from "@/core/imports/import-record";
import { openImportSource } from "@/lib/imports/open-import-source";
import { readImportRows } from "@/lib/imports/read-import-rows";

const FIXTURES = join(process.cwd(), "test/fixtures/imports");

interface Issue {
  line: number;
  column: string | null;
  reason: string;
}
interface Expectation {
  kind?: "csv" | "xlsx";
  encoding?: string;
  delimiter?: string;
  sheetName?: string;
  records?: number;
  fields?: Record<string, string>;
  fileWarnings?: { code: string; column?: string }[];
  errors?: Issue[];
  rowWarnings?: Issue[];
  samples?: Pick<ImportRecord, "recordIndex" | "line" | "fields" | "attributes">[];
  fatal?: { code: string; message: string };
}

const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Record<string, Expectation>;
const cases = Object.entries(expected).filter(([name]) => !name.startsWith("$"));
const readable = cases.filter(([, e]) => !e.fatal);
const fatal = cases.filter(([, e]) => e.fatal) as [string, Expectation & { fatal: { code: string; message: string } }][];

async function readAll(path: string): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for await (const record of readImportRows(path)) records.push(record);
  return records;
}

function issuesMatch(actual: Issue[], wanted: Issue[]) {
  expect(actual).toHaveLength(wanted.length);
  wanted.forEach((issue, i) => {
    expect(actual[i]).toMatchObject({ line: issue.line, column: issue.column });
    expect(actual[i]!.reason).toContain(issue.reason);
  });
}

describe("import corpus", () => {
  it("every fixture file has an expectation", () => {
    // Subfolders (exports/) have their own tests.
    const files = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith(".ts") && entry.name !== "expected.json")
      .map((entry) => entry.name);
    expect(files.sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it.each(readable)("%s reads as expected", async (name, e) => {
    const path = join(FIXTURES, name);
    const source = await openImportSource(path);
    expect(source.kind).toBe(e.kind);
    if (e.encoding) expect(source.encoding).toBe(e.encoding);
    if (e.delimiter) expect(source.delimiter).toBe(e.delimiter);
    if (e.sheetName) expect(source.sheetName).toBe(e.sheetName);
    expect(source.recordCount).toBe(e.records);
    for (const [header, target] of Object.entries(e.fields ?? {})) {
      const column = source.header.columns.find((c) => c.header === header);
      const actual =
        column?.target.kind === "field"
          ? column.target.field
          : column?.target.kind === "attribute"
            ? `attribute:${column.target.key}`
            : column?.target.kind === "candidate"
              ? `candidate:${column.target.field}:${column.target.key}`
              : column?.target.kind;
      expect(actual, header).toBe(target);
    }
    expect(source.warnings.map((w) => ({ code: w.code, ...(w.column ? { column: w.column } : {}) }))).toEqual(
      (e.fileWarnings ?? []).map((w) => (w.column ? w : { code: w.code })),
    );
    expect(JSON.parse(JSON.stringify(source))).toEqual(source); // safe as a step output

    const records = await readAll(path);
    expect(records).toHaveLength(e.records!);
    expect(records.map((r) => r.recordIndex)).toEqual(records.map((_, i) => i));
    issuesMatch(records.flatMap((r) => r.errors), e.errors ?? []);
    issuesMatch(records.flatMap((r) => r.warnings), e.rowWarnings ?? []);
    for (const sample of e.samples ?? []) {
      const record = records[sample.recordIndex]!;
      expect({ recordIndex: record.recordIndex, line: record.line, fields: record.fields, attributes: record.attributes }).toEqual(sample);
    }
  });

  it.each(fatal)("%s is rejected with a clear reason", async (name, e) => {
    const path = join(FIXTURES, name);
    const opened = openImportSource(path);
    await expect(opened).rejects.toBeInstanceOf(ImportFileError);
    await expect(opened).rejects.toMatchObject({ code: e.fatal.code, message: expect.stringContaining(e.fatal.message) });
    if (e.fatal.code === "header_only") {
      expect(await readAll(path)).toEqual([]); // a chunk past the end, not an error
    } else if (name !== "lying-zip.xlsx") {
      // The per-chunk reader fails the same way (the lying zip is only caught by the full check at open).
      await expect(readAll(path)).rejects.toMatchObject({ code: e.fatal.code });
    }
  });
});

describe("options", () => {
  const workbook = join(FIXTURES, "contacts.xlsx");

  it("reads a named sheet (case-insensitive) and rejects an unknown one", async () => {
    const source = await openImportSource(workbook, { sheetName: "other LIST" });
    expect(source).toMatchObject({ sheetName: "Other list", recordCount: 1, warnings: [] });
    const records: ImportRecord[] = [];
    for await (const record of readImportRows(workbook, { sheetName: "Other list" })) records.push(record);
    expect(records.map((r) => r.fields)).toEqual([{ email: "zed@example.com", phone: "15551234567" }]);
    await expect(openImportSource(workbook, { sheetName: "Nope" })).rejects.toMatchObject({
      code: "sheet_not_found",
      message: expect.stringContaining('"Contacts"'),
    });
  });

  it("applies the mapping override to every record", async () => {
    const mapping = { Company: "attribute:org", "Last Name": "ignore" } as const;
    const records: ImportRecord[] = [];
    for await (const record of readImportRows(join(FIXTURES, "basic.csv"), { mapping, limit: 1 })) records.push(record);
    expect(records).toMatchObject([
      { fields: { email: "ada@example.com", first_name: "Ada", phone: "+14155550123" }, attributes: { org: "Analytical Engines" } },
    ]);
    expect(records[0]!.fields.last_name).toBeUndefined();
  });
});
