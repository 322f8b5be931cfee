import type { ImportRecord } from "@/core/imports/import-record";
import { mapHeader, type MappedHeader, type MappingOverride } from "@/core/imports/map-header";
import { mapRow } from "./map-row";
import type { VcardCard } from "./read-vcard-cards";
import { vcardColumns } from "./vcard-columns";

/** Distinct card shapes whose mapped header is kept; a file rarely has more than a few dozen. */
const HEADER_CACHE_ENTRIES = 256;

/**
 * The columns a vCard contact usually has, mapped: the import's description of a vCard file (its
 * field → column names for the report, and where an invalid mapping is caught before any card).
 */
export function vcardHeader(mapping: MappingOverride | undefined): MappedHeader {
  const header = mapHeader(["Given Name", "Family Name", "EMAIL 1", "TEL 1", "BDAY", "Language", "TZ"], mapping);
  // Whether a mapped column exists depends on each card, so "not in the file" would be a guess.
  return { ...header, warnings: header.warnings.filter((warning) => warning.code !== "unused_mapping") };
}

/**
 * Maps cards to records with the same rules as CSV rows: each card's properties become the
 * columns a CSV export of that contact would have (vcard-columns.ts), mapped by mapHeader (one
 * mapping per card shape, cached) and mapRow. A card that cannot be read is a record with an
 * error, so the report names it and the rest of the file is imported.
 */
export function createVcardCardMapper(mapping: MappingOverride | undefined) {
  const headers = new Map<string, MappedHeader>();
  const headerFor = (cells: string[]): MappedHeader => {
    const key = cells.join("\u0000");
    let header = headers.get(key);
    if (!header) {
      if (headers.size >= HEADER_CACHE_ENTRIES) headers.clear();
      header = mapHeader(cells, mapping);
      headers.set(key, header);
    }
    return header;
  };

  return (card: VcardCard, recordIndex: number): Omit<ImportRecord, "next"> => {
    const failed = (reason: string): Omit<ImportRecord, "next"> => ({
      recordIndex,
      line: card.line,
      fields: {},
      candidates: [],
      attributes: {},
      tags: [],
      errors: [{ line: card.line, column: null, reason }],
      warnings: [],
    });
    if (card.error) return failed(card.error);
    let columns;
    try {
      columns = vcardColumns(card.lines);
    } catch (error) {
      return failed(`the card cannot be read: ${(error as Error).message}`);
    }
    const row = { line: card.line, cells: columns.cells, cellWarnings: [], nextByteOffset: card.nextByteOffset, nextLine: card.nextLine };
    return mapRow(row, headerFor(columns.headers), "vcard", recordIndex);
  };
}
