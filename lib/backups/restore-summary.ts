import type { RestoreReport } from "./restore-backup";

/** The restore's result as the CLI and the drill print it: one line per table, then the verdict. */
export function restoreSummary(report: RestoreReport): string[] {
  const width = Math.max(...report.tables.map((table) => table.name.length), 5);
  const lines = report.tables.map(
    (table) =>
      `${table.ok ? "ok      " : "MISMATCH"} ${table.name.padEnd(width)} ${String(table.rows).padStart(9)} rows` +
      (table.ok ? `  sha256 ${table.sha256.slice(0, 16)}…` : `  (backup: ${table.expectedRows} rows, sha256 ${table.expectedSha256.slice(0, 16)}…; restored: sha256 ${table.sha256.slice(0, 16)}…)`),
  );
  const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
  const bad = report.tables.filter((table) => !table.ok).length;
  lines.push(
    bad === 0
      ? `Restored backup ${report.backupId} (schema ${report.schemaVersion}): ${report.tables.length} tables, ${rows} rows, every count and checksum matches the manifest; ${report.sequences} sequences reset.`
      : `Restore of backup ${report.backupId} does NOT match its manifest: ${bad} of ${report.tables.length} tables differ.`,
  );
  return lines;
}
