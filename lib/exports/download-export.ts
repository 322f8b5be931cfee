import { Readable } from "node:stream";
import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { getDataExportById } from "@/db/queries/data-exports";
import type { FileStorage } from "@/lib/storage/file-storage";
import { StorageError } from "@/lib/storage/storage-error";
import { TRACKING_RESPONSE_HEADERS, trackingPage } from "@/lib/tracking/tracking-page";
import { isDownloadable } from "./export-link";
import { verifyExportLink } from "./export-link-token";

const invalidPage = () =>
  trackingPage({ status: 403, title: "This download link is not valid", message: "The link was altered or copied incompletely. Use the link from the email or the dashboard as it is." });

const expiredPage = () =>
  trackingPage({
    status: 410,
    title: "This download link has expired",
    message: "Export links work for a limited time, after which the file is deleted. Request a new export from the dashboard or the API.",
  });

const filename = (row: { subject: string; createdAt: Date }) => `sendline-${row.subject}-export-${row.createdAt.toISOString().slice(0, 10)}.zip`;

/**
 * Answers a signed download link: the zip, streamed from storage, while the link and the export
 * are both live; a clear page otherwise (403 for a link that is not ours, 410 for one whose time
 * has passed or whose file is gone), never the file. Each download is audited.
 */
export async function downloadExport(db: Db, storage: FileStorage, token: string, now: Date = new Date()): Promise<Response> {
  const check = verifyExportLink(token, now);
  if (!check.ok) return check.reason === "invalid" ? invalidPage() : expiredPage();
  const row = await getDataExportById(db, check.link.exportId);
  if (!row) return expiredPage();
  if (!isDownloadable(row, now)) return expiredPage();
  let file: Readable;
  try {
    file = await storage.openRead(row.storageKey!);
  } catch (error) {
    if (error instanceof StorageError && error.kind === "not-found") return expiredPage();
    throw error;
  }
  await insertAuditEntry(db, {
    workspaceId: row.workspaceId,
    actor: "export_link",
    action: "export.downloaded",
    targetType: row.contactId ? "contact" : "workspace",
    targetId: row.contactId ?? row.workspaceId,
    details: { exportId: row.id },
  });
  return new Response(Readable.toWeb(file) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      ...TRACKING_RESPONSE_HEADERS,
      "Content-Type": "application/zip",
      ...(row.bytes !== null ? { "Content-Length": String(row.bytes) } : {}),
      "Content-Disposition": `attachment; filename="${filename(row)}"`,
      ...(row.sha256 ? { "X-Content-SHA256": row.sha256 } : {}),
    },
  });
}
