import type { TextEncodingName } from "./detect-text-encoding";
import { ImportFileError } from "@/core/imports/import-file-error";
import type { ImportCursor, ImportRecord } from "@/core/imports/import-record";
import { IMPORT_MAX_ROWS } from "./limits";
import { mapHeader, type MappedHeader, type MappingOverride } from "@/core/imports/map-header";
import { mapRow } from "./map-row";
import { createVcardCardMapper } from "./map-vcard-card";
import { batchesOf, eachOf } from "./batches-of";
import { type PreparedSource, prepareImportSource, takeHeaderRow } from "./prepare-import-source";
import { isBlankRow, type RawRow } from "./raw-row";

export interface ReadImportRowsOptions {
  /** First data record to yield (0-based; header and blank rows not counted). Default 0. */
  fromRecord?: number;
  /**
   * A cursor from a previous read (`record.next`): CSV seeks straight to its byte offset instead
   * of re-parsing earlier records. Takes precedence over `fromRecord`, which must agree if given.
   */
  cursor?: ImportCursor;
  /** Records to yield at most. Default: all. */
  limit?: number;
  mapping?: MappingOverride;
  /** XLSX: the sheet to read (default: first in tab order). Ignored for CSV. */
  sheetName?: string;
  /**
   * CSV: pass `ImportSource.encoding` from `openImportSource`. Without it the encoding is
   * re-detected, which for a file whose first 64 KiB are plain ASCII means scanning forward to
   * the first non-ASCII byte (possibly the whole file) on every chunk. Same result either way.
   */
  encoding?: TextEncodingName | null;
}

export function tooManyRows(): ImportFileError {
  return new ImportFileError("too_many_rows", `The file has more than ${IMPORT_MAX_ROWS.toLocaleString("en-US")} data rows.`);
}

/**
 * Streams data records of an import file, for one chunk of an import, in batches (see
 * readImportRows for one at a time).
 *
 * Contract:
 * - Records come in file order with stable `recordIndex` (0 = first non-blank row after the
 *   header). Blank rows are skipped and never counted, wherever reading starts.
 * - `fromRecord`/`cursor` + `limit` select a chunk; reading chunks of any size from the cursors
 *   (or indexes) of previous chunks yields exactly the records of one full pass.
 * - Memory is constant in file size: rows are streamed a batch at a time (a 64 KiB read's worth
 *   of CSV, a few hundred XLSX rows or cards); nothing else is buffered. CSV and vCard cursors
 *   seek (O(chunk)); XLSX re-streams the sheet and skips earlier rows cheaply (no mapping), so an
 *   XLSX chunk costs O(offset + chunk) parse time.
 * - vCard: one record per card, mapped as the CSV columns of the same contact would be.
 * - Values are raw trimmed text, never validated here; `errors` marks rows to reject with their
 *   line and column, `warnings` rows read with losses.
 * - File-level problems throw `ImportFileError` (non-retriable): call `openImportSource` first
 *   so they surface before anything is written. `too_many_rows` is thrown when reading reaches
 *   record IMPORT_MAX_ROWS.
 * - Stopping early (break, limit) closes the file.
 */
export async function* readImportRecordBatches(filePath: string, options: ReadImportRowsOptions = {}): AsyncGenerator<ImportRecord[]> {
  const { cursor, limit = Number.POSITIVE_INFINITY, mapping, sheetName, encoding } = options;
  const fromRecord = cursor?.recordIndex ?? options.fromRecord ?? 0;
  if (!Number.isInteger(fromRecord) || fromRecord < 0) {
    throw new ImportFileError("invalid_cursor", `fromRecord must be a non-negative integer, got ${fromRecord}.`);
  }
  if (cursor && options.fromRecord !== undefined && options.fromRecord !== cursor.recordIndex) {
    throw new ImportFileError("invalid_cursor", "fromRecord and cursor.recordIndex disagree.");
  }
  if (limit <= 0) return;

  const source = await prepareImportSource(filePath, sheetName, encoding);
  if (source.kind === "vcard") {
    yield* batchesOf(readVcardRecords(source, { fromRecord, cursor, limit, mapping }), VCARD_BATCH_CARDS);
    return;
  }
  let batches: AsyncGenerator<RawRow[]> = source.rowBatches();
  try {
    const { header: headerRow, rest } = await takeHeaderRow(batches);
    const header: MappedHeader = mapHeader(headerRow.cells, mapping);

    let recordIndex = 0;
    let batch: RawRow[] | undefined = rest;
    if (cursor && source.kind === "csv" && cursor.byteOffset !== null) {
      if (cursor.byteOffset < (headerRow.nextByteOffset ?? 0) || cursor.byteOffset > source.fileBytes) {
        throw new ImportFileError("invalid_cursor", "The cursor does not point into this file's data rows.");
      }
      await batches.return(undefined);
      batches = source.rowBatches({ byteOffset: cursor.byteOffset, line: cursor.line });
      recordIndex = cursor.recordIndex;
      batch = [];
    }

    let yielded = 0;
    while (batch) {
      const records: ImportRecord[] = [];
      for (const row of batch) {
        if (isBlankRow(row)) continue;
        if (recordIndex >= IMPORT_MAX_ROWS) throw tooManyRows();
        const index = recordIndex++;
        if (index < fromRecord) continue; // skipping: parsed, never mapped
        const record = mapRow(row, header, source.kind, index);
        records.push({ ...record, next: { recordIndex: index + 1, line: row.nextLine, byteOffset: row.nextByteOffset } });
        if (++yielded >= limit) break;
      }
      if (records.length > 0) yield records;
      if (yielded >= limit) return;
      const next = await batches.next();
      batch = next.done ? undefined : next.value;
    }
  } finally {
    await batches.return(undefined);
  }
}

/** readImportRecordBatches, one record at a time. */
export function readImportRows(filePath: string, options: ReadImportRowsOptions = {}): AsyncGenerator<ImportRecord> {
  return eachOf(readImportRecordBatches(filePath, options));
}

/** Cards handed on at once. */
const VCARD_BATCH_CARDS = 500;
/** readImportRows for a vCard file: one record per card (contact groups are not contacts and are skipped, like blank rows). */
async function* readVcardRecords(
  source: PreparedSource,
  options: { fromRecord: number; cursor: ImportCursor | undefined; limit: number; mapping: MappingOverride | undefined },
): AsyncGenerator<ImportRecord> {
  const { fromRecord, cursor, limit } = options;
  const seek = cursor && cursor.byteOffset !== null;
  if (seek && (cursor.byteOffset! < 0 || cursor.byteOffset! > source.fileBytes)) {
    throw new ImportFileError("invalid_cursor", "The cursor does not point into this file's cards.");
  }
  const mapCard = createVcardCardMapper(options.mapping);
  const cards = source.cards(seek ? { byteOffset: cursor.byteOffset!, line: cursor.line } : undefined);
  let recordIndex = seek ? cursor.recordIndex : 0;
  let yielded = 0;
  try {
    for await (const card of cards) {
      if (card.group) continue;
      if (recordIndex >= IMPORT_MAX_ROWS) throw tooManyRows();
      const index = recordIndex++;
      if (index < fromRecord) continue;
      yield { ...mapCard(card, index), next: { recordIndex: index + 1, line: card.nextLine, byteOffset: card.nextByteOffset } };
      if (++yielded >= limit) return;
    }
  } finally {
    await cards.return(undefined);
  }
}
