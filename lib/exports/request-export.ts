import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { countExportRows } from "@/db/queries/export-rows";
import { type DataExport, insertDataExport } from "@/db/queries/data-exports";
import type { ExportCreateRequest } from "./export-request";

export type ExportRequestOutcome = { ok: true; export: DataExport } | { ok: false; status: 404; what: string };

/**
 * Records an export (queued) and audits who asked; the caller sends lifecycle/export.requested.
 * A contact export needs a contact of this workspace that is not being erased (404 otherwise,
 * as for any id of another workspace).
 */
export async function requestExport(db: Db, workspaceId: string, request: ExportCreateRequest, requestedBy: string): Promise<ExportRequestOutcome> {
  const contactId = request.subject === "contact" ? (request.contactId ?? null) : null;
  if (contactId && (await countExportRows(db, { workspaceId, contactId }, "contact")) === 0) return { ok: false, status: 404, what: "Contact" };
  const row = await insertDataExport(db, {
    workspaceId,
    subject: request.subject,
    contactId,
    notifyEmail: request.notifyEmail?.toLowerCase() ?? null,
    requestedBy,
    createdAt: new Date(),
  });
  await insertAuditEntry(db, {
    workspaceId,
    actor: requestedBy,
    action: "export.requested",
    targetType: contactId ? "contact" : "workspace",
    targetId: contactId ?? workspaceId,
    details: { exportId: row.id, subject: row.subject, notify: Boolean(row.notifyEmail) },
  });
  return { ok: true, export: row };
}
