import type { Import } from "@/db/queries/imports";

/** How often a page showing an unfinished import re-renders itself. */
export const IMPORT_REFRESH_MS = 2_000;

/** Rows of the error report shown on an import's page; the download has them all. */
export const IMPORT_ERRORS_SHOWN = 50;

type Progress = Pick<Import, "status" | "processed" | "total">;

/** Queued or running: the counters can still move, so the page keeps refreshing. */
export function isImportActive(status: Import["status"]): boolean {
  return status === "queued" || status === "running";
}

/**
 * Percentage of rows processed, 0–100, or null while the total is unknown (before the file has
 * been inspected). A completed import is 100 % even when the total was never set (empty file).
 */
export function progressPercent(row: Progress): number | null {
  if (row.status === "completed") return 100;
  if (row.total === null) return null;
  if (row.total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((row.processed / row.total) * 100)));
}

/** "1,234 / 5,000 rows", or "1,234 rows" while the total is unknown. */
export function progressLabel(row: Progress): string {
  const processed = row.processed.toLocaleString("en-US");
  return row.total === null ? `${processed} rows` : `${processed} / ${row.total.toLocaleString("en-US")} rows`;
}

/** "12.3 MB": sizes for people. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
