import type { ImportFileKind } from "./detect-file-kind";
import type { ImportRecord, RowIssue } from "./import-record";
import { IMPORT_MAX_CELL_CHARS } from "./limits";
import type { MappedHeader } from "./map-header";
import type { RawRow } from "./raw-row";

function columnLabel(header: MappedHeader, index: number): string {
  const header_ = header.columns[index]?.header;
  return header_ ? header_ : `column ${index + 1}`;
}

/**
 * Applies the mapped header to one row. Ragged rows: in a CSV a missing or extra non-empty cell
 * means the columns may be shifted (an unquoted delimiter), so the row is an error; in XLSX cells
 * cannot shift and Excel omits trailing empties, so only a value outside the header is noted.
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
    const value = cells[column.index];
    if (value === undefined || value === "" || column.target.kind === "ignore") continue;
    if (value.length > IMPORT_MAX_CELL_CHARS) {
      errors.push({
        line: row.line,
        column: columnLabel(header, column.index),
        reason: `value is ${value.length} characters; the limit is ${IMPORT_MAX_CELL_CHARS}`,
      });
      continue;
    }
    if (column.target.kind === "field") fields[column.target.field] = value;
    else attributes[column.target.key] = value;
  }
  for (const { columnIndex, reason } of row.cellWarnings) {
    warnings.push({ line: row.line, column: columnLabel(header, columnIndex), reason });
  }
  return { recordIndex, line: row.line, fields, attributes, errors, warnings };
}
