import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ImportRecord } from "@/core/imports/import-record";
import { openImportSource } from "@/lib/imports/open-import-source";
import { readImportRows } from "@/lib/imports/read-import-rows";

const dir = mkdtempSync(join(tmpdir(), "read-csv-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const READ_BYTES = 64 * 1024;
// A 2-, a 3- and a 4-byte character, each placed so that a 64 KiB read ends right after its
// first byte (reads start at byte 0: the file has no BOM).
const SPLIT = ["é", "東", "🙂"];

/** The file's text and every first_name in it, in order. */
function straddlingCsv(): { text: string; names: string[] } {
  let text = "email,first_name\n";
  let bytes = Buffer.byteLength(text);
  const names: string[] = [];
  const add = (email: string, name: string) => {
    const line = `${email},${name}\n`;
    text += line;
    bytes += Buffer.byteLength(line);
    names.push(name);
  };
  for (const [k, char] of SPLIT.entries()) {
    const boundary = (k + 1) * READ_BYTES;
    while (boundary - bytes > 200) add(`f${names.length}@example.com`, `Filler ${names.length}`);
    const email = `split${k}@example.com`;
    add(email, `${"x".repeat(boundary - 1 - bytes - email.length - 1)}${char}`);
  }
  add("last@example.com", "Last");
  return { text, names };
}

function utf8File(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function readAll(path: string): Promise<ImportRecord[]> {
  const { encoding } = await openImportSource(path, { countRecords: false });
  const records: ImportRecord[] = [];
  for await (const record of readImportRows(path, { encoding })) records.push(record);
  return records;
}

describe("reading UTF-8 CSV in 64 KiB reads", () => {
  it("keeps every character whole when a read ends inside it", async () => {
    const { text, names } = straddlingCsv();
    const bytes = Buffer.from(text);
    // The file really cuts a character of each length at a read boundary.
    for (const [k, char] of SPLIT.entries()) {
      const start = (k + 1) * READ_BYTES - 1;
      expect(bytes.subarray(start, start + Buffer.byteLength(char)).toString()).toBe(char);
    }
    const records = await readAll(utf8File("whole.csv", bytes));
    expect(records.map((record) => record.fields.first_name)).toEqual(names);
  });

  it("rejects a file whose bytes stop being UTF-8 after the sample, naming where", async () => {
    const bytes = Buffer.from(straddlingCsv().text);
    bytes[150_000] = 0xff; // never valid in UTF-8
    await expect(readAll(utf8File("corrupt.csv", bytes))).rejects.toMatchObject({
      code: "unreadable_encoding",
      // The read that holds byte 150,000 (it starts one byte early: the split "東" it completes).
      message: expect.stringContaining("invalid UTF-8 between bytes 131071 and 196608"),
    });
  });

  it("rejects a file that ends in the middle of a character", async () => {
    const bytes = Buffer.from(`${straddlingCsv().text}cut@example.com,東`);
    await expect(readAll(utf8File("truncated.csv", bytes.subarray(0, -1)))).rejects.toMatchObject({
      code: "unreadable_encoding",
      message: expect.stringContaining("ends in the middle of a character"),
    });
  });
});
