import type { AuditEntry } from "@/db/queries/audit-log";

/** An entry as the API and the dashboard show it (the workspace is implied by the key). */
export function auditEntryView(entry: AuditEntry) {
  return {
    id: entry.id,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details,
    createdAt: entry.createdAt.toISOString(),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
