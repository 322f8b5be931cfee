import type { DataExport } from "@/db/queries/data-exports";
import { exportDownloadUrl } from "./export-link";

/** An export as the API shows it: progress as rows and a share, and a fresh signed link while it can be downloaded. */
export function exportView(row: DataExport, now: Date = new Date()) {
  const expired = row.status === "expired" || (row.status === "ready" && row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime());
  return {
    id: row.id,
    subject: row.subject,
    contactId: row.contactId,
    status: expired ? ("expired" as const) : row.status,
    rowsDone: row.rowsDone,
    rowsTotal: row.rowsTotal,
    progress: row.rowsTotal === null ? null : row.rowsTotal === 0 ? (row.status === "ready" ? 1 : 0) : Math.min(1, row.rowsDone / row.rowsTotal),
    bytes: row.bytes,
    sha256: row.sha256,
    notifyEmail: row.notifyEmail,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    error: row.error,
    downloadUrl: exportDownloadUrl(row, now),
  };
}

export type ExportView = ReturnType<typeof exportView>;
