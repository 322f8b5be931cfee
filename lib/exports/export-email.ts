import type { Db } from "@/db";
import type { DataExport } from "@/db/queries/data-exports";
import type { Message } from "@/db/queries/messages";
import { requestNotification } from "@/lib/notifications/request-notification";
import { exportDownloadUrl } from "./export-link";

/**
 * "Your export is ready" (with the signed link) or "your export failed" (with the reason),
 * through Sendline's own notification path: recorded as a transactional email of the workspace
 * (the outbox in development, the configured provider otherwise) under a message id derived
 * from the export, so a retried step records it once. The caller sends its delivery event.
 */
export async function recordExportEmail(db: Db, row: DataExport): Promise<Message | null> {
  if (!row.notifyEmail) return null;
  const what = row.subject === "workspace" ? "workspace export" : "contact data export";
  const request: { subject: string; body: string; data: Record<string, string | number> } =
    row.status === "ready"
      ? {
          subject: `Your Sendline ${what} is ready`,
          body:
            "<p>Your {{ what }} is ready: {{ rows }} rows in a {{ size }} zip of JSON Lines and CSV files.</p>" +
            '<p><a href="{{ downloadUrl }}">Download the export</a></p>' +
            "<p>The link works until {{ expiresAt }} (UTC); after that the file is deleted. Anyone with the link can download the file, so do not forward this email.</p>",
          data: { what, rows: row.rowsDone, size: humanBytes(row.bytes ?? 0), downloadUrl: exportDownloadUrl(row) ?? "", expiresAt: row.expiresAt?.toISOString() ?? "" },
        }
      : {
          subject: `Your Sendline ${what} failed`,
          body: "<p>Your {{ what }} (requested {{ requestedAt }} UTC) could not be built: {{ reason }}</p><p>You can request it again from the dashboard or the API.</p>",
          data: { what, requestedAt: row.createdAt.toISOString(), reason: row.error ?? "unknown reason" },
        };
  const outcome = await requestNotification(db, row.workspaceId, { messageId: `export-${row.status}-${row.id}`, channel: "email", to: row.notifyEmail, ...request });
  return outcome.ok ? outcome.message : null;
}

export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
