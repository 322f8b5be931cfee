import { isStorableText, storableText } from "@/lib/text/storable-text";
import type { ImportFileKind } from "./detect-file-kind";
import type { ImportRecord, RowIssue } from "./import-record";
import { IMPORT_MAX_CELL_CHARS } from "./limits";
import type { MappedHeader } from "./map-header";
import type { RawRow } from "./raw-row";

export const UNSTORABLE_CELL_WARNING = "value held characters that cannot be stored (NUL, or half of a surrogate pair); each was replaced with \uFFFD";

function columnLabel(header: MappedHeader, index: number): string {
  const header_ = header.columns[index]?.header;
  return header_ ? header_ : `column ${index + 1}`;
}

/**
 * Applies the mapped header to one row; cell text comes out storable (see below). Ragged rows:
 * in a CSV a missing or extra non-empty cell means the columns may be shifted (an unquoted
 * delimiter), so the row is an error; in XLSX cells cannot shift and Excel omits trailing
 * empties, so only a value outside the header is noted.
 */
export function mapRow(
  row: RawRow,
  header: MappedHeader,
  kind: ImportFileKind,
  recordIndex: number,
): Omit<ImportRecord, "next"> {
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const width = header.columns.length;
  const { cells } = row;

  if (kind === "csv" && cells.length < width) {
    errors.push({ line: row.line, column: null, reason: `row has ${cells.length} cells but the header has ${width}` });
  }
  for (let index = width; index < cells.length; index++) {
    if (cells[index] === "") continue;
    if (kind === "csv") {
      errors.push({
        line: row.line,
        column: `column ${index + 1}`,
        reason: `row has ${cells.length} cells but the header has ${width}`,
      });
    } else {
      warnings.push({ line: row.line, column: `column ${index + 1}`, reason: "value outside the header columns; ignored" });
    }
    break;
  }

  const fields: ImportRecord["fields"] = {};
  const attributes: Record<string, string> = {};
  for (const column of header.columns) {
    let value = cells[column.index];
    if (value === undefined || value === "" || column.target.kind === "ignore") continue;
    if (value.length > IMPORT_MAX_CELL_CHARS) {
      errors.push({
        line: row.line,
        column: columnLabel(header, column.index),
        reason: `value is ${value.length} characters; the limit is ${IMPORT_MAX_CELL_CHARS}`,
      });
      continue;
    }
    // Every reader's cells pass here, so this is where text becomes storable, once for all of
    // them: a NUL (UTF-8 after the sniffed sample, XLSX's _x0000_) or a lone surrogate (UTF-16,
    // XLSX's _xD83D_) would otherwise fail the whole chunk in PostgreSQL.
    if (!isStorableText(value)) {
      value = storableText(value);
      warnings.push({ line: row.line, column: columnLabel(header, column.index), reason: UNSTORABLE_CELL_WARNING });
    }
    if (column.target.kind === "field") fields[column.target.field] = value;
    else attributes[column.target.key] = value;
  }
  for (const { columnIndex, reason } of row.cellWarnings) {
    warnings.push({ line: row.line, column: columnLabel(header, columnIndex), reason });
  }
  return { recordIndex, line: row.line, fields, attributes, errors, warnings };
}
