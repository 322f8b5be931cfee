import { createReadStream } from "node:fs";
import ExcelJS from "exceljs";
import { ImportFileError } from "@/core/imports/import-file-error";
import type { RawRow } from "./raw-row";
import type { WorkbookInfo, WorkbookSheet } from "./read-workbook-info";
import { xlsxCellText } from "./xlsx-cell-text";

const SHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** The first sheet in tab order, or the one named (case-insensitive, trimmed). */
export function pickSheet(info: WorkbookInfo, sheetName: string | undefined): WorkbookSheet {
  const wanted = sheetName?.trim().toLowerCase();
  const sheet = wanted === undefined ? info.sheets[0] : info.sheets.find((s) => s.name.trim().toLowerCase() === wanted);
  if (!sheet) {
    const names = info.sheets.map((s) => `"${s.name}"`).join(", ");
    throw new ImportFileError(
      "sheet_not_found",
      wanted === undefined ? "The workbook has no sheets." : `The workbook has no sheet named "${sheetName}" (sheets: ${names}).`,
    );
  }
  if (!SHEET_PART.test(sheet.path)) {
    throw new ImportFileError("malformed_xlsx", `Sheet "${sheet.name}" is stored as ${sheet.path}, which this importer cannot read.`);
  }
  return sheet;
}

interface ExcelCell {
  value: unknown;
  numFmt?: string;
}
interface ExcelRow {
  number: number;
  eachCell(callback: (cell: ExcelCell, column: number) => void): void;
}
interface StreamingWorkbook {
  on(event: "entry", listener: (entry: { type: string; id?: string }) => void): void;
  properties?: { model?: { date1904?: boolean } };
  styles?: { model?: { styles?: unknown[] } };
  [Symbol.asyncIterator](): AsyncIterator<AsyncIterable<ExcelRow>>;
}

/**
 * Streams one sheet's rows with exceljs's WorkbookReader: cached values only, shared strings
 * cached (the one part held in memory), styles cached (needed to recognise date formats).
 * exceljs cannot seek, so every call starts at the top of the sheet; callers skip rows.
 *
 * Quirks handled here: exceljs emits sheets in zip order and names them only if workbook.xml
 * came first, so the wanted sheet is identified by its part number via the `entry` event that
 * precedes each sheet; a sheet stored before sharedStrings.xml is spooled by exceljs to a temp
 * file on disk (not memory) and read after the rest of the archive.
 */
/** A pass that went wrong inside exceljs before yielding any row: safe to start again. */
class IncompletePass extends Error {}

const PASSES = 3;

/** Reads a sheet, starting over (at most PASSES times) when a pass failed before its first row; see readSheetOnce. */
export async function* readXlsxRows(filePath: string, info: WorkbookInfo, sheet: WorkbookSheet): AsyncGenerator<RawRow> {
  for (let attempt = 1; ; attempt++) {
    try {
      yield* readSheetOnce(filePath, info, sheet);
      return;
    } catch (error) {
      if (!(error instanceof IncompletePass)) throw error;
      if (attempt === PASSES) throw new ImportFileError("malformed_xlsx", `The workbook cannot be read: ${error.message}`);
    }
  }
}

/**
 * One pass. exceljs's streaming reader parses a workbook's parts in zip order, and when a
 * sheet comes before the parts it depends on it occasionally (seen under load on CI) starts the
 * sheet with an empty style table — every date then reads as its serial number — or fails
 * inside ("Cannot read properties of undefined"). The workbook's own count of cell formats
 * (read by readWorkbookInfo) exposes the first; both happen before the first row, so such a
 * pass is abandoned and started again. An error after rows were yielded is final.
 */
async function* readSheetOnce(filePath: string, info: WorkbookInfo, sheet: WorkbookSheet): AsyncGenerator<RawRow> {
  const wantedPart = SHEET_PART.exec(sheet.path)![1];
  const input = createReadStream(filePath);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "emit",
  }) as unknown as StreamingWorkbook;
  let currentPart: string | undefined;
  reader.on("entry", (entry) => {
    if (entry.type === "worksheet") currentPart = entry.id;
  });

  let yielded = false;
  try {
    const sheets = { [Symbol.asyncIterator]: () => reader[Symbol.asyncIterator]() };
    for await (const worksheet of sheets) {
      if (currentPart !== wantedPart) continue; // unread sheets are drained by exceljs
      if ((reader.styles?.model?.styles?.length ?? 0) < (info.cellStyleCount ?? 0)) {
        throw new IncompletePass("its cell formats (xl/styles.xml) were not loaded before the sheet");
      }
      const exceljsDate1904 = reader.properties?.model?.date1904 === true;
      for await (const row of worksheet) {
        const cells: string[] = [];
        const cellWarnings: RawRow["cellWarnings"] = [];
        row.eachCell((cell, column) => {
          const { text, warning } = xlsxCellText(cell.value, cell.numFmt, info.date1904, exceljsDate1904);
          while (cells.length < column - 1) cells.push("");
          cells[column - 1] = text.trim();
          if (warning) cellWarnings.push({ columnIndex: column - 1, reason: warning });
        });
        yielded = true;
        yield { line: row.number, cells, cellWarnings, nextByteOffset: null, nextLine: row.number + 1 };
      }
      return;
    }
    throw new ImportFileError("malformed_xlsx", `Sheet "${sheet.name}" is missing from the workbook.`);
  } catch (error) {
    if (error instanceof ImportFileError || error instanceof IncompletePass) throw error;
    if (!yielded) throw new IncompletePass((error as Error).message);
    throw new ImportFileError("malformed_xlsx", `The workbook cannot be read: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
}
