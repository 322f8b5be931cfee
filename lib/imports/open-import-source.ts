import type { ImportFileKind } from "./detect-file-kind";
import type { TextEncodingName } from "./detect-text-encoding";
import { ImportFileError } from "@/core/imports/import-file-error";
import type { ImportCursor, ImportWarning } from "@/core/imports/import-record";
import { verifyZipEntrySizes } from "./inspect-zip";
import { IMPORT_MAX_ROWS } from "./limits";
import { mapHeader, type MappedHeader, type MappingOverride } from "@/core/imports/map-header";
import { vcardHeader } from "./map-vcard-card";
import { type PreparedSource, prepareImportSource, takeHeaderRow } from "./prepare-import-source";
import { isBlankRow, type RawRow } from "./raw-row";
import { tooManyRows } from "./read-import-rows";
import type { CsvDelimiter } from "./sniff-csv-dialect";

export interface OpenImportSourceOptions {
  mapping?: MappingOverride;
  /** XLSX: the sheet to read (default: first in tab order). Ignored for CSV. */
  sheetName?: string;
  /**
   * Default true: one full streaming pass that counts records (for progress totals) and
   * surfaces every file-level error (row cap, encoding switching mid-file, malformed quoting,
   * zip entries lying about their size) before the import writes anything. False: stop at the
   * first data record, `recordCount` is null.
   */
  countRecords?: boolean;
}

/** Small and JSON-safe, so it can be a step output (no rows in it). */
export interface ImportSource {
  kind: ImportFileKind;
  fileBytes: number;
  /** CSV only. */
  encoding: TextEncodingName | null;
  delimiter: CsvDelimiter | null;
  /** XLSX only: the sheet read. */
  sheetName: string | null;
  header: MappedHeader;
  /** File-level warnings: the header's, plus encoding/sheet notes. */
  warnings: ImportWarning[];
  recordCount: number | null;
  /** Cursor of the first data record (pass as `cursor` to start reading). */
  start: ImportCursor;
}

/**
 * Validates an import file and describes it: type from content, encoding and delimiter (CSV),
 * sheet (XLSX), mapped header (for vCard, of the columns a card usually has) and warnings. Throws `ImportFileError` for anything that makes the
 * whole file unusable: wrong type, empty, header only, too big, too many rows or columns,
 * unreadable encoding, zip bomb, invalid mapping.
 */
export async function openImportSource(filePath: string, options: OpenImportSourceOptions = {}): Promise<ImportSource> {
  const { mapping, sheetName, countRecords = true } = options;
  const source = await prepareImportSource(filePath, sheetName);
  if (countRecords && source.zipEntries) await verifyZipEntrySizes(filePath, source.zipEntries);

  const warnings: ImportWarning[] = [];
  if (source.dialect?.encoding === "windows-1252") {
    warnings.push({ code: "transcoded", message: "The file is not UTF-8; it was read as Windows-1252 (Western European)." });
  }
  if (source.workbook && source.sheet && !sheetName && source.workbook.sheets.length > 1) {
    warnings.push({
      code: "first_sheet",
      message: `The workbook has ${source.workbook.sheets.length} sheets; only the first, "${source.sheet.name}", is imported.`,
    });
  }

  if (source.kind === "vcard") return openVcardSource(source, mapping, countRecords);
  const batches = source.rowBatches();
  try {
    const { header: headerRow, rest } = await takeHeaderRow(batches);
    const header = mapHeader(headerRow.cells, mapping);
    warnings.push(...header.warnings);

    let recordCount = 0;
    // Right after the header: blank rows before the first record are skipped by the reader.
    const start: ImportCursor = { recordIndex: 0, line: headerRow.nextLine, byteOffset: headerRow.nextByteOffset };
    let batch: RawRow[] | undefined = rest;
    counting: while (batch) {
      for (const row of batch) {
        if (isBlankRow(row)) continue;
        if (recordCount >= IMPORT_MAX_ROWS) throw tooManyRows();
        recordCount++;
        if (!countRecords) break counting;
      }
      const next = await batches.next();
      batch = next.done ? undefined : next.value;
    }
    if (recordCount === 0) {
      throw new ImportFileError("header_only", "The file has a header row but no data rows.");
    }
    return {
      kind: source.kind,
      fileBytes: source.fileBytes,
      encoding: source.dialect?.encoding ?? null,
      delimiter: source.dialect?.delimiter ?? null,
      sheetName: source.sheet?.name ?? null,
      header,
      warnings,
      recordCount: countRecords ? recordCount : null,
      start,
    };
  } finally {
    await batches.return(undefined);
  }
}

async function openVcardSource(source: PreparedSource, mapping: MappingOverride | undefined, countRecords: boolean): Promise<ImportSource> {
  const header = vcardHeader(mapping);
  const cards = source.cards();
  let recordCount = 0;
  let groups = 0;
  try {
    for await (const card of cards) {
      if (card.group) {
        groups++;
        continue;
      }
      if (recordCount >= IMPORT_MAX_ROWS) throw tooManyRows();
      recordCount++;
      if (!countRecords) break;
    }
  } finally {
    await cards.return(undefined);
  }
  if (recordCount === 0) throw new ImportFileError("header_only", "The vCard file has no contact cards.");
  const warnings: ImportWarning[] = [...header.warnings];
  if (groups > 0) {
    warnings.push({
      code: "vcard_groups",
      message: `${groups} card${groups === 1 ? " is a contact group" : "s are contact groups"} (Apple Contacts), not ${groups === 1 ? "a contact" : "contacts"}: skipped. Their members are imported from their own cards.`,
    });
  }
  return {
    kind: "vcard",
    fileBytes: source.fileBytes,
    encoding: null,
    delimiter: null,
    sheetName: null,
    header,
    warnings,
    recordCount: countRecords ? recordCount : null,
    start: { recordIndex: 0, line: 1, byteOffset: 0 },
  };
}
