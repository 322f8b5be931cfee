import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectZip, verifyZipEntrySizes } from "@/lib/imports/inspect-zip";
import { IMPORT_ZIP_MAX_ENTRIES } from "@/lib/imports/limits";
import { openImportSource } from "@/lib/imports/open-import-source";
import { buildZip } from "@/test/fixtures/imports/generate";

const FIXTURES = join(process.cwd(), "test/fixtures/imports");
let dir: string;
const file = (name: string, data: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "imports-zip-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("zip guards", () => {
  it("accepts a real workbook and lists its parts", async () => {
    const entries = await inspectZip(join(FIXTURES, "contacts.xlsx"));
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(["[Content_Types].xml", "xl/workbook.xml"]));
    await expect(verifyZipEntrySizes(join(FIXTURES, "contacts.xlsx"), entries)).resolves.toBeUndefined();
  });

  it.each([
    ["a compression ratio above the cap", join(FIXTURES, "zip-bomb.xlsx"), "zip_compression_ratio", /1026:1/],
  ])("rejects %s", async (_label, path, code, message) => {
    await expect(inspectZip(path)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it("rejects too many entries before reading any of them", async () => {
    const parts = Array.from({ length: IMPORT_ZIP_MAX_ENTRIES + 1 }, (_, i) => ({ name: `p${i}`, data: Buffer.alloc(0), store: true }));
    const path = file("many.xlsx", buildZip(parts));
    await expect(inspectZip(path)).rejects.toMatchObject({ code: "zip_too_many_entries", message: expect.stringContaining("10001") });
  });

  it("rejects a declared total above the cap even when each entry is small", async () => {
    // 2,100 entries each declaring just under 1 MiB (below the ratio check's threshold): > 2 GiB.
    const parts = Array.from({ length: 2100 }, (_, i) => ({ name: `xl/p${i}.xml`, data: Buffer.from("x"), declaredBytes: 1024 * 1024 - 1 }));
    const path = file("big-total.xlsx", buildZip(parts));
    await expect(inspectZip(path)).rejects.toMatchObject({ code: "zip_too_large", message: expect.stringContaining("zip bomb") });
  });

  it("catches an entry that inflates past its declared size", async () => {
    const path = join(FIXTURES, "lying-zip.xlsx");
    const entries = await inspectZip(path); // the directory alone looks harmless
    await expect(verifyZipEntrySizes(path, entries)).rejects.toMatchObject({ code: "zip_too_large" });
  });

  it("rejects a truncated archive", async () => {
    const whole = buildZip([{ name: "[Content_Types].xml", data: Buffer.from("<Types/>") }]);
    const path = file("truncated.xlsx", whole.subarray(0, whole.length - 10));
    await expect(openImportSource(path)).rejects.toMatchObject({ code: "zip_invalid" });
  });

  it("rejects encrypted entries and unknown compression", async () => {
    const zip = buildZip([
      { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
    ]);
    const encrypted = Buffer.from(zip);
    const directory = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(1, directory + 8);
    await expect(inspectZip(file("encrypted.xlsx", encrypted))).rejects.toMatchObject({ code: "zip_invalid", message: expect.stringContaining("encrypted") });
    const bzip = Buffer.from(zip);
    bzip.writeUInt16LE(12, directory + 10);
    await expect(inspectZip(file("bzip.xlsx", bzip))).rejects.toMatchObject({ code: "zip_invalid", message: expect.stringContaining("method 12") });
  });
});
