/** A row as a reader yields it, before header mapping. */
export interface RawRow {
  /** Physical line (CSV, where a multi-line record starts) or sheet row number (XLSX). */
  line: number;
  /** Trimmed cell text, by 0-based column. */
  cells: string[];
  /** Reader-level warnings by 0-based column (XLSX formula and error cells). */
  cellWarnings: { columnIndex: number; reason: string }[];
  /** Resume position right after this row: CSV byte offset, null for XLSX. */
  nextByteOffset: number | null;
  nextLine: number;
}

export function isBlankRow(row: RawRow): boolean {
  return row.cells.every((cell) => cell === "");
}
