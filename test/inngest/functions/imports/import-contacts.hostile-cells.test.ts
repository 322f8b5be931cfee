import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, setDatabase } from "@/db";
import { contacts } from "@/db/schema";
import { ATTRIBUTES_MAX_BYTES, NAME_MAX_LENGTH } from "@/core/contacts/contact-input";
import { inspectZip, readZipEntry } from "@/lib/imports/inspect-zip";
import { IMPORT_MAX_CELL_CHARS } from "@/lib/imports/limits";
import { UNSTORABLE_CELL_WARNING } from "@/lib/imports/map-row";
import { IMPORT_ERROR_VALUE_MAX_CHARS } from "@/core/imports/validate-import-record";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { buildZip } from "@/test/fixtures/imports/generate";
import { createTestDatabase } from "@/test/support/database";
import { createWireServerDatabase } from "@/test/support/wire-server-database";
import { createImportFrom, errorRows, importRow, runImport, setUpImportEnvironment } from "./import-harness";

/**
 * Cells of every hostile class, each row checked: stored with its exact value, or reported
 * with a clear reason — and never the whole file lost for one cell. Run on the test database
 * (in-process PGlite, or PostgreSQL with TEST_DATABASE_URL) and through the embedded wire server.
 */
const env = await setUpImportEnvironment();
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");
afterAll(() => env.tearDown());

const SMILE = "😀"; // a surrogate pair: two UTF-16 units
const FAMILY = "👨‍👩‍👧"; // an emoji ZWJ sequence: eight units, one character
const RAINBOW_FLAG = "🏳️‍🌈";
const WARNED = `warning: ${UNSTORABLE_CELL_WARNING}`;

type Row = { email: string; first?: string; last?: string; notes?: string };
/** What became of a row: stored (the contact's exact values) or failed (its report lines). */
type Outcome =
  | { line: number; stored: { email: string; firstName?: string | null; lastName?: string | null; attributes?: Record<string, unknown> }; report?: Report[] }
  | { line: number; failed: Report[] };
type Report = { column: string | null; reason: string; value: string | null };

const csvCell = (value: string) => `"${value.replaceAll('"', '""')}"`;
const csvOf = (rows: Row[]) =>
  ["email,first name,last name,notes", ...rows.map((row) => [row.email, row.first ?? "", row.last ?? "", row.notes ?? ""].map(csvCell).join(","))].join("\n") + "\n";

// ---------------------------------------------------------------- UTF-8 CSV: limits and look-alikes
const ZALGO = `Z${"\u0336\u0337\u0338".repeat(50)}`;
/** A notes value whose attributes JSON, {"notes":"…"}, is exactly `bytes` long. */
const notesOfJsonBytes = (bytes: number) => {
  const room = bytes - Buffer.byteLength(JSON.stringify({ notes: "" }));
  return SMILE.repeat(Math.floor(room / 4)) + "x".repeat(room % 4);
};

const UTF8_ROWS: [Row, Omit<Outcome, "line">][] = [
  // The error report cuts values at IMPORT_ERROR_VALUE_MAX_CHARS: an emoji straddling the cut is dropped whole.
  [
    { email: `${"x".repeat(IMPORT_ERROR_VALUE_MAX_CHARS - 2)}${SMILE}@@bad` },
    { failed: [{ column: "email", reason: "email is not an email address", value: `${"x".repeat(IMPORT_ERROR_VALUE_MAX_CHARS - 2)}…` }] },
  ],
  [
    { email: `${"y".repeat(IMPORT_ERROR_VALUE_MAX_CHARS - 5)}${FAMILY}@@bad` },
    { failed: [{ column: "email", reason: "email is not an email address", value: `${"y".repeat(IMPORT_ERROR_VALUE_MAX_CHARS - 5)}…` }] },
  ],
  // The name limit counts UTF-16 units, as the contacts API does.
  [
    { email: "name-at-limit@example.com", first: `${"n".repeat(NAME_MAX_LENGTH - 2)}${SMILE}` },
    { stored: { email: "name-at-limit@example.com", firstName: `${"n".repeat(NAME_MAX_LENGTH - 2)}${SMILE}` } },
  ],
  [
    // An optional field past its limit is left out with a warning; the contact is imported.
    { email: "name-over-limit@example.com", first: `${"n".repeat(NAME_MAX_LENGTH - 1)}${SMILE}` },
    {
      stored: { email: "name-over-limit@example.com", firstName: null },
      report: [
        {
          column: "first name",
          reason: `warning: first_name is longer than ${NAME_MAX_LENGTH} characters; imported without it`,
          value: `${"n".repeat(NAME_MAX_LENGTH - 1)}…`,
        },
      ],
    },
  ],
  // The cell limit.
  [
    { email: "cell-at-limit@example.com", notes: `${"c".repeat(IMPORT_MAX_CELL_CHARS - 2)}${SMILE}` },
    { stored: { email: "cell-at-limit@example.com", attributes: { notes: `${"c".repeat(IMPORT_MAX_CELL_CHARS - 2)}${SMILE}` } } },
  ],
  [
    { email: "cell-over-limit@example.com", notes: `${"c".repeat(IMPORT_MAX_CELL_CHARS - 1)}${SMILE}` },
    { failed: [{ column: "notes", reason: `value is ${IMPORT_MAX_CELL_CHARS + 1} characters; the limit is ${IMPORT_MAX_CELL_CHARS}`, value: null }] },
  ],
  // The attributes size limit, in bytes of JSON: four-byte characters right up to it, and one byte past.
  [
    { email: "attributes-at-limit@example.com", notes: notesOfJsonBytes(ATTRIBUTES_MAX_BYTES) },
    { stored: { email: "attributes-at-limit@example.com", attributes: { notes: notesOfJsonBytes(ATTRIBUTES_MAX_BYTES) } } },
  ],
  [
    { email: "attributes-over-limit@example.com", notes: notesOfJsonBytes(ATTRIBUTES_MAX_BYTES + 1) },
    {
      stored: { email: "attributes-over-limit@example.com", attributes: {} },
      report: [
        { column: "notes", reason: `warning: attribute notes does not fit in the ${ATTRIBUTES_MAX_BYTES} bytes attributes may take; imported without it`, value: null },
      ],
    },
  ],
  // Combining marks: names are kept as typed (decomposed, or a Zalgo pile); emails are NFC-normalised.
  [
    { email: "zoe\u0308@example.com", first: "Zoe\u0308", last: ZALGO },
    { stored: { email: "zoë@example.com", firstName: "Zoe\u0308", lastName: ZALGO } },
  ],
  // Zero-width and bidi-override characters: kept in names, refused in an email address.
  [
    { email: "zero-width@example.com", first: "Ann\u200B", last: "\u202Egnp.exe" },
    { stored: { email: "zero-width@example.com", firstName: "Ann\u200B", lastName: "\u202Egnp.exe" } },
  ],
  [{ email: "zw\u200Bsp@example.com" }, { failed: [{ column: "email", reason: "email is not an email address", value: "zw\u200Bsp@example.com" }] }],
  [{ email: "rtl\u202E@example.com" }, { failed: [{ column: "email", reason: "email is not an email address", value: "rtl\u202E@example.com" }] }],
  // Emoji ZWJ sequences.
  [{ email: "emoji@example.com", first: `${FAMILY}${RAINBOW_FLAG}` }, { stored: { email: "emoji@example.com", firstName: `${FAMILY}${RAINBOW_FLAG}` } }],
  // Control characters other than NUL are text: stored as they are, and the file is not "binary".
  [
    { email: "controls@example.com", first: "Bell\u0007", last: "Esc\u001B[31mred\u007F", notes: "tab\there\u0085next" },
    { stored: { email: "controls@example.com", firstName: "Bell\u0007", lastName: "Esc\u001B[31mred\u007F", attributes: { notes: "tab\there\u0085next" } } },
  ],
  // Liquid, SQL and HTML are just text to an import.
  [
    { email: "injection@example.com", first: "{{ contact.email }}{% raw %}", last: "'); DROP TABLE contacts;--", notes: "<script>alert(1)</script>" },
    {
      stored: {
        email: "injection@example.com",
        firstName: "{{ contact.email }}{% raw %}",
        lastName: "'); DROP TABLE contacts;--",
        attributes: { notes: "<script>alert(1)</script>" },
      },
    },
  ],
];

// ---------------------------------------------------------------- UTF-16 CSV: lone surrogates and NUL
const UTF16_ROWS: [Row, Omit<Outcome, "line">][] = [
  [
    { email: "lone-high@example.com", first: "Lone\uD83D" },
    { stored: { email: "lone-high@example.com", firstName: "Lone\uFFFD" }, report: [{ column: "first name", reason: WARNED, value: null }] },
  ],
  [
    { email: "nul@example.com", notes: "nul\u0000here" },
    { stored: { email: "nul@example.com", attributes: { notes: "nul\uFFFDhere" } }, report: [{ column: "notes", reason: WARNED, value: null }] },
  ],
  [
    { email: "lone\uDE00@example.com" },
    {
      failed: [
        { column: "email", reason: WARNED, value: null },
        { column: "email", reason: "email is not an email address", value: "lone\uFFFD@example.com" },
      ],
    },
  ],
  [{ email: "pair@example.com", first: `Pair${SMILE}` }, { stored: { email: "pair@example.com", firstName: `Pair${SMILE}` } }],
];

// ---------------------------------------------------------------- XLSX: _xHHHH_ escapes for NUL and surrogates
/** A workbook as Excel stores one: control characters and lone surrogates as _xHHHH_ escapes in sharedStrings.xml. */
async function escapedWorkbook(rows: string[][], escapes: Record<string, string>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Contacts");
  for (const row of rows) sheet.addRow(row);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-hostile-"));
  const file = path.join(dir, "plain.xlsx");
  fs.writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  try {
    const parts = [];
    for (const entry of await inspectZip(file)) {
      let data = await readZipEntry(file, entry);
      if (entry.name === "xl/sharedStrings.xml") {
        let xml = data.toString("utf8");
        for (const [placeholder, escaped] of Object.entries(escapes)) xml = xml.replaceAll(placeholder, escaped);
        data = Buffer.from(xml);
      }
      parts.push({ name: entry.name, data });
    }
    return buildZip(parts);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const XLSX_ROWS: [string[], Omit<Outcome, "line">][] = [
  [
    ["xnul@example.com", "NulPLACEHOLDER_NULByte"],
    { stored: { email: "xnul@example.com", firstName: "Nul\uFFFDByte" }, report: [{ column: "first name", reason: WARNED, value: null }] },
  ],
  [
    ["xlone@example.com", "Lone", "PLACEHOLDER_LONE"],
    { stored: { email: "xlone@example.com", firstName: "Lone", attributes: { notes: "\uFFFD" } }, report: [{ column: "notes", reason: WARNED, value: null }] },
  ],
  [["xpair@example.com", "PLACEHOLDER_PAIR"], { stored: { email: "xpair@example.com", firstName: SMILE } }],
];
const XLSX_ESCAPES = { PLACEHOLDER_NUL: "_x0000_", PLACEHOLDER_LONE: "_xD83D_", PLACEHOLDER_PAIR: "_xD83D__xDE00_" };

const withLines = (rows: [unknown, Omit<Outcome, "line">][]): Outcome[] => rows.map(([, outcome], index) => ({ line: index + 2, ...outcome }) as Outcome);

describe.each([
  [process.env.TEST_DATABASE_URL ? "PostgreSQL" : "in-process PGlite", createTestDatabase],
  ["the embedded wire server", createWireServerDatabase],
] as const)("an import of hostile cells, on %s", (_name, open) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    setDatabase(database);
  });
  afterAll(() => database.close());

  async function importAndCheck(file: { name: string; text: string | Buffer }, outcomes: Outcome[]) {
    const { workspace } = await createWorkspace(database.db, { name: file.name });
    const { row } = await createImportFrom(database, workspace.id, file);
    const { error } = await runImport(importContacts, workspace.id, row.id);
    expect(error).toBeUndefined();
    const stored = outcomes.filter((outcome) => "stored" in outcome);
    expect(await importRow(database, workspace.id, row.id)).toMatchObject({
      status: "completed",
      processed: outcomes.length,
      inserted: stored.length,
      failed: outcomes.length - stored.length,
    });

    const expectedReport = outcomes.flatMap((outcome) => ("failed" in outcome ? outcome.failed : (outcome.report ?? [])).map((line) => ({ line: outcome.line, ...line })));
    expect(await errorRows(database, row.id)).toEqual(expectedReport);

    for (const outcome of stored) {
      if (!("stored" in outcome)) continue;
      const [contact] = await database.db
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.email, outcome.stored.email)));
      expect(contact, `line ${outcome.line}`).toMatchObject({ firstName: null, lastName: null, attributes: {}, ...outcome.stored });
    }
  }

  it("UTF-8 CSV: values at every limit, combining marks, zero-width, bidi, ZWJ emoji, controls and injections", { timeout: 60_000 }, async () => {
    await importAndCheck({ name: "hostile.csv", text: csvOf(UTF8_ROWS.map(([row]) => row)) }, withLines(UTF8_ROWS));
  });

  it("UTF-16 CSV: half a surrogate pair and NUL are replaced and warned about, on their cell only", { timeout: 60_000 }, async () => {
    const text = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvOf(UTF16_ROWS.map(([row]) => row)), "utf16le")]);
    await importAndCheck({ name: "hostile-utf16.csv", text }, withLines(UTF16_ROWS));
  });

  it("XLSX: _x0000_ and a lone _xD83D_ are replaced and warned about; an escaped pair is the character", { timeout: 60_000 }, async () => {
    const text = await escapedWorkbook([["email", "first name", "notes"], ...XLSX_ROWS.map(([row]) => row)], XLSX_ESCAPES);
    await importAndCheck({ name: "hostile.xlsx", text }, withLines(XLSX_ROWS));
  });
});
