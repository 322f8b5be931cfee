/** Characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a would-be formula with `'` so Excel, LibreOffice and Sheets show it as text. */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 cell: formula-escaped, quoted when it holds a delimiter, quote or line break. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = escapeFormula(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export const ERROR_REPORT_HEADER = "line,column,reason,value\r\n";

export function errorReportLine(error: { line: number; column: string | null; reason: string; value: string | null }): string {
  return `${[error.line, error.column, error.reason, error.value].map(csvCell).join(",")}\r\n`;
}
