import type { Db } from "@/db";
import { findExportableContact } from "@/db/queries/export-rows";
import { exportCreateRequest } from "@/lib/exports/export-request";
import { requestExport } from "@/lib/exports/request-export";

export type RequestExportState = { ok: boolean; message: string };
export const IDLE_EXPORT: RequestExportState = { ok: true, message: "" };
/** Exports of a few thousand rows finish within seconds; the list refreshes while one runs. */
export const EXPORT_REFRESH_MS = 1_500;

/**
 * The dashboard's "Export" button, as POST /api/v1/exports does it: the same request schema and
 * the same recording (audited as `dashboard`), then the event. The contact is found by email or
 * id. The message is what the operator reads.
 */
export async function requestExportFromDashboard(
  db: Db,
  params: { workspaceId: string; subject: string; contact: string; notifyEmail: string; send: (ids: { workspaceId: string; exportId: string }) => Promise<void> },
): Promise<RequestExportState> {
  let contactId: string | undefined;
  if (params.subject === "contact") {
    if (!params.contact.trim()) return { ok: false, message: "Give the contact's email address or id." };
    const contact = await findExportableContact(db, { workspaceId: params.workspaceId, emailOrId: params.contact });
    if (!contact) return { ok: false, message: `No contact ${params.contact.trim()} in this workspace (or its erasure was requested).` };
    contactId = contact.id;
  }
  const parsed = exportCreateRequest.safeParse({ subject: params.subject, contactId, notifyEmail: params.notifyEmail.trim() || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Cannot export: ${issue?.path.join(".") || "request"} ${issue?.message ?? "is invalid"}.` };
  }
  const requested = await requestExport(db, params.workspaceId, parsed.data, "dashboard");
  if (!requested.ok) return { ok: false, message: "That contact no longer exists in this workspace." };
  try {
    await params.send({ workspaceId: params.workspaceId, exportId: requested.export.id });
  } catch {
    return { ok: false, message: "Recorded, but the export could not be queued: try again." };
  }
  const notify = parsed.data.notifyEmail ? ` An email goes to ${parsed.data.notifyEmail} when it is ready.` : "";
  return { ok: true, message: `Export requested: it appears below with its progress.${notify}` };
}
