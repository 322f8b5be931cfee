import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openImportSource } from "@/lib/imports/open-import-source";
import { readImportRows } from "@/lib/imports/read-import-rows";

// Count the bytes the readers actually pull from disk, to prove records flow before the file
// has been read (no whole-file buffering) without any timing assertion.
// (ReadStream.bytesRead is sampled rather than adding a "data" listener, which would change
// the stream's flow.)
const io = vi.hoisted(() => ({
  streams: [] as { bytesRead: number }[],
  get bytesRead(): number {
    return this.streams.reduce((sum, stream) => sum + stream.bytesRead, 0);
  },
  reset() {
    this.streams.length = 0;
  },
}));
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  const createReadStream = ((...args: Parameters<typeof actual.createReadStream>) => {
    const stream = actual.createReadStream(...args);
    io.streams.push(stream);
    return stream;
  }) as typeof actual.createReadStream;
  return { ...actual, default: { ...actual, createReadStream }, createReadStream };
});

const ROWS = 100_000;
let dir: string;
let path: string;
let fileBytes: number;
let offsetOfRecord90001: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "imports-streaming-"));
  path = join(dir, "big.csv");
  const lines = ["email,first_name,last_name,phone,plan"];
  for (let i = 0; i < ROWS; i++) lines.push(`user${i}@example.com,First${i},"Last, ${i}",+1415555${String(i).padStart(4, "0")},pro`);
  const text = lines.join("\n") + "\n";
  writeFileSync(path, text);
  offsetOfRecord90001 = Buffer.byteLength(lines.slice(0, 90_002).join("\n") + "\n");
  fileBytes = statSync(path).size;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("streaming a 100k-row CSV", () => {
  it("counts every record in one pass", async () => {
    const source = await openImportSource(path);
    expect(source.recordCount).toBe(ROWS);
  });

  it("yields the first record after reading a small fraction of the file, and all records in order", async () => {
    const { encoding } = await openImportSource(path, { countRecords: false });
    io.reset();
    let count = 0;
    let outOfOrder = 0;
    let bytesAtFirst = -1;
    let bytesAtHalf = -1;
    for await (const record of readImportRows(path, { encoding })) {
      if (count === 0) bytesAtFirst = io.bytesRead;
      if (count === ROWS / 2) bytesAtHalf = io.bytesRead;
      if (record.recordIndex !== count) outOfOrder++;
      count++;
    }
    expect(count).toBe(ROWS);
    expect(outOfOrder).toBe(0);
    expect(fileBytes).toBeGreaterThan(5_000_000);
    // Sniffing reads ≤ 64 KiB, the header pass and the row stream ≤ 64 KiB each before record 0.
    expect(bytesAtFirst).toBeLessThan(fileBytes / 10);
    expect(bytesAtHalf).toBeLessThan(fileBytes * 0.6);
  });

  it("a cursor seeks: a late chunk reads only a little of the file", async () => {
    const { encoding } = await openImportSource(path, { countRecords: false });
    // What record 90,000's `next` holds (the resume tests prove cursors equal this in general).
    const cursor = { recordIndex: 90_001, line: 90_003, byteOffset: offsetOfRecord90001 };
    io.reset();
    const chunk = [];
    for await (const record of readImportRows(path, { cursor, limit: 1000, encoding })) chunk.push(record);
    expect(chunk).toHaveLength(1000);
    expect(chunk[0]!.recordIndex).toBe(90_001);
    expect(chunk[0]!.line).toBe(90_003);
    expect(chunk[0]!.fields).toEqual({ email: "user90001@example.com", first_name: "First90001", last_name: "Last, 90001", phone: "+141555590001" });
    expect(io.bytesRead).toBeLessThan(fileBytes / 10);
  });
});
