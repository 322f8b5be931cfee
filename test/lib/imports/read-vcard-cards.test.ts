import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openImportSource } from "@/lib/imports/open-import-source";
import { readImportRows } from "@/lib/imports/read-import-rows";
import { readVcardCards } from "@/lib/imports/read-vcard-cards";

const EDGE_CASES = join(process.cwd(), "test/fixtures/imports/vcards/edge-cases.vcf");

describe("readVcardCards", () => {
  it("yields every card, and a card with the reason for each stretch that is not a whole card", async () => {
    const cards = [];
    for await (const card of readVcardCards(EDGE_CASES, { byteOffset: 0, line: 1 })) cards.push(card);
    expect(cards.map(({ line, error, group, lines, nextLine }) => ({ line, error, group, lines, nextLine }))).toEqual([
      { line: 1, error: null, group: false, lines: ["VERSION:3.0", "FN:One", "EMAIL:one@example.com"], nextLine: 6 },
      { line: 6, error: "text outside any BEGIN:VCARD … END:VCARD card", group: false, lines: [], nextLine: 8 },
      { line: 8, error: "the card has no END:VCARD before the next card", group: false, lines: [], nextLine: 12 },
      { line: 12, error: null, group: false, lines: ["VERSION:3.0", "FN:Two", "EMAIL:two@example.com", "NOTE:folded across lines"], nextLine: 19 },
      { line: 20, error: null, group: true, lines: ["VERSION:4.0", "KIND:group", "FN:A group"], nextLine: 25 },
      { line: 25, error: null, group: false, lines: ["version:3.0", "fn:Three", "email:three@example.com"], nextLine: 30 },
      { line: 30, error: "the file ends before the card's END:VCARD", group: false, lines: [], nextLine: 34 },
    ]);
  });

  it("reads each card as one record (groups skipped), and reports the broken ones as row errors", async () => {
    const source = await openImportSource(EDGE_CASES);
    expect(source).toMatchObject({ kind: "vcard", recordCount: 6, warnings: [{ code: "vcard_groups" }] });
    const records = [];
    for await (const record of readImportRows(EDGE_CASES)) records.push(record);
    expect(records.map((record) => [record.line, record.fields.email ?? null, record.errors.map((error) => error.reason)])).toEqual([
      [1, "one@example.com", []],
      [6, null, ["text outside any BEGIN:VCARD … END:VCARD card"]],
      [8, null, ["the card has no END:VCARD before the next card"]],
      [12, "two@example.com", []],
      [25, "three@example.com", []],
      [30, null, ["the file ends before the card's END:VCARD"]],
    ]);
  });
});
