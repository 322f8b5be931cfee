import { storableText } from "@/core/text/storable-text";
import type { TextEncodingName } from "./detect-text-encoding";
import { detectFileKind, type ImportFileKind } from "./detect-file-kind";
import { ImportFileError } from "@/core/imports/import-file-error";
import type { ZipEntry } from "./inspect-zip";
import { IMPORT_MAX_COLUMNS } from "./limits";
import { isBlankRow, type RawRow } from "./raw-row";
import { batchesOf } from "./batches-of";
import { readCsvRowBatches } from "./read-csv-row-batches";
import { readVcardCards, type VcardCard } from "./read-vcard-cards";
import { readWorkbookInfo, type WorkbookInfo, type WorkbookSheet } from "./read-workbook-info";
import { pickSheet, readXlsxRows } from "./read-xlsx-rows";
import { sniffCsvDialect, type CsvDialect } from "./sniff-csv-dialect";

/** Rows of a sheet handed on at once (exceljs reads a sheet row by row). */
const XLSX_BATCH_ROWS = 500;

export interface PreparedSource {
  kind: ImportFileKind;
  fileBytes: number;
  zipEntries: ZipEntry[] | null;
  dialect: CsvDialect | null;
  workbook: WorkbookInfo | null;
  sheet: WorkbookSheet | null;
  /** Rows in batches, from the top of the file/sheet, or (CSV only) from a record boundary. Not for vCard. */
  rowBatches(start?: { byteOffset: number; line: number }): AsyncGenerator<RawRow[]>;
  /** vCard only: cards from the top of the file, or from a card boundary. */
  cards(start?: { byteOffset: number; line: number }): AsyncGenerator<VcardCard>;
}

/** Everything about a file that is decided once, cheaply, before any row is read. */
export async function prepareImportSource(
  filePath: string,
  sheetName?: string,
  encodingHint?: TextEncodingName | null,
): Promise<PreparedSource> {
  const detected = await detectFileKind(filePath);
  const noCards = () => {
    throw new Error(`a ${detected.kind} file has no vCard cards`);
  };
  if (detected.kind === "vcard") {
    return {
      ...detected,
      dialect: null,
      workbook: null,
      sheet: null,
      rowBatches: () => {
        throw new Error("a vCard file is read as cards, not rows");
      },
      cards: (start) => readVcardCards(filePath, start ?? { byteOffset: 0, line: 1 }),
    };
  }
  if (detected.kind === "csv") {
    const dialect = await sniffCsvDialect(filePath, detected.fileBytes, encodingHint);
    return {
      ...detected,
      dialect,
      workbook: null,
      sheet: null,
      rowBatches: (start) => readCsvRowBatches(filePath, dialect, start ?? { byteOffset: dialect.bomBytes, line: 1 }),
      cards: noCards,
    };
  }
  const workbook = await readWorkbookInfo(filePath, detected.zipEntries!);
  const sheet = pickSheet(workbook, sheetName);
  return {
    ...detected,
    dialect: null,
    workbook,
    sheet,
    rowBatches: (start) => {
      if (start) throw new Error("XLSX sheets cannot be read from a byte offset");
      return batchesOf(readXlsxRows(filePath, workbook, sheet), XLSX_BATCH_ROWS);
    },
    cards: noCards,
  };
}

/**
 * The header is the first non-blank row; blank rows above it are skipped. Its text is made
 * storable (see map-row.ts) because column names end up in warnings and the error report.
 * Returns it with the rows that followed it in its batch.
 */
export async function takeHeaderRow(batches: AsyncIterator<RawRow[]>): Promise<{ header: RawRow; rest: RawRow[] }> {
  for (;;) {
    const next = await batches.next();
    if (next.done) throw new ImportFileError("empty_file", "The file has no rows: not even a header.");
    const at = next.value.findIndex((row) => !isBlankRow(row));
    if (at === -1) continue;
    const row = next.value[at]!;
    const width = headerWidth(row.cells);
    if (width > IMPORT_MAX_COLUMNS) {
      throw new ImportFileError("too_many_columns", `The header has ${width} columns; the limit is ${IMPORT_MAX_COLUMNS}.`);
    }
    return { header: { ...row, cells: row.cells.slice(0, width).map(storableText) }, rest: next.value.slice(at + 1) };
  }
}

/** Trailing empty header cells (a trailing delimiter, formatted-but-empty Excel columns) don't count. */
export function headerWidth(cells: readonly string[]): number {
  let width = cells.length;
  while (width > 0 && cells[width - 1] === "") width--;
  return width;
}
