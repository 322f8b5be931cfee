import type { DataExport } from "@/db/queries/data-exports";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** Counts a finished export (ready or failed) in the metrics and logs it as one JSON line. */
export function reportExport(row: DataExport): void {
  const seconds = ((row.finishedAt ?? new Date()).getTime() - row.createdAt.getTime()) / 1000;
  const m = metrics();
  m.exports.inc({ subject: row.subject, status: row.status });
  m.exportDuration.observe({ subject: row.subject, status: row.status }, Math.max(0, seconds));
  const fields = { workspaceId: row.workspaceId, exportId: row.id, subject: row.subject, status: row.status, rows: row.rowsDone, rowsTotal: row.rowsTotal, durationSeconds: seconds };
  if (row.status === "ready") {
    m.exportRows.inc({ subject: row.subject }, row.rowsDone);
    m.exportBytes.inc({ subject: row.subject }, row.bytes ?? 0);
    logger.info({ ...fields, bytes: row.bytes, sha256: row.sha256, expiresAt: row.expiresAt?.toISOString() }, "export: ready");
  } else {
    logger.warn({ ...fields, error: row.error }, "export: failed");
  }
}
