import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ImportCursor, ImportRecord } from "@/core/imports/import-record";
import { openImportSource } from "@/lib/imports/open-import-source";
import { readImportRows } from "@/lib/imports/read-import-rows";

const FIXTURES = join(process.cwd(), "test/fixtures/imports");
const FILES = [
  "quoted-newlines.csv",
  "ragged.csv",
  "leading-blank-lines.csv",
  "utf16be.csv",
  "utf16le-tab.csv",
  "windows-1252.csv",
  "bom-utf8.csv",
  "no-trailing-newline.csv",
  "contacts.xlsx",
  "date1904.xlsx",
  "exports/android-3.0.vcf",
  "exports/apple-contacts.vcf",
  "exports/vcard-4.0.vcf",
  "vcards/edge-cases.vcf",
];
const CHUNK_SIZES = [1, 2, 3, 7];

async function collect(iterable: AsyncIterable<ImportRecord>): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe("resuming reads", () => {
  it.each(FILES.flatMap((file) => CHUNK_SIZES.map((size) => [file, size] as const)))(
    "%s in chunks of %i equals one pass, by index and by cursor",
    async (file, size) => {
      const path = join(FIXTURES, file);
      const whole = await collect(readImportRows(path));
      expect(whole.length).toBeGreaterThan(1);

      const byIndex: ImportRecord[] = [];
      for (let from = 0; ; from += size) {
        const chunk = await collect(readImportRows(path, { fromRecord: from, limit: size }));
        byIndex.push(...chunk);
        if (chunk.length < size) break;
      }
      expect(byIndex).toEqual(whole);

      const byCursor: ImportRecord[] = [];
      let cursor: ImportCursor = (await openImportSource(path, { countRecords: false })).start;
      for (;;) {
        const chunk = await collect(readImportRows(path, { cursor, limit: size }));
        byCursor.push(...chunk);
        if (chunk.length < size) break;
        cursor = JSON.parse(JSON.stringify(chunk.at(-1)!.next)) as ImportCursor; // as a step would persist it
      }
      expect(byCursor).toEqual(whole);
    },
  );

  it("rejects a cursor that does not point into the data", async () => {
    const path = join(FIXTURES, "basic.csv");
    await expect(collect(readImportRows(path, { cursor: { recordIndex: 0, line: 1, byteOffset: 0 } }))).rejects.toMatchObject({
      code: "invalid_cursor",
    });
    await expect(collect(readImportRows(path, { cursor: { recordIndex: 1, line: 3, byteOffset: 109 }, fromRecord: 2 }))).rejects.toMatchObject({
      code: "invalid_cursor",
    });
  });

  it("reading past the end yields nothing", async () => {
    expect(await collect(readImportRows(join(FIXTURES, "basic.csv"), { fromRecord: 10 }))).toEqual([]);
  });
});
