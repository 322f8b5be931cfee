import { csvCell } from "@/lib/imports/error-report-csv";
import type { ExportRow } from "@/core/exports/export-files";

/**
 * How a row is written: one JSON object per line (dates as ISO 8601 UTC, as JSON.stringify
 * writes a Date), and one RFC 4180 CSV line through the import report's csvCell, so a cell
 * that would start a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`.
 * JSON columns (attributes, a message's request) go into one CSV cell as JSON text.
 */

export const jsonLine = (row: ExportRow): string => `${JSON.stringify(row)}\n`;

function cellValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

export const csvLine = (row: ExportRow, columns: readonly string[]): string => `${columns.map((column) => csvCell(cellValue(row[column]))).join(",")}\r\n`;

/** The header line; the file starts with a BOM so Excel reads it as UTF-8. */
export const csvHeader = (columns: readonly string[]): string => `\uFEFF${columns.map((column) => csvCell(column)).join(",")}\r\n`;
