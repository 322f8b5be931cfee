import type { Db } from "@/db";
import { auditLog } from "@/db/schema";

export async function insertAuditEntry(
  db: Db,
  params: {
    workspaceId: string | null;
    actor: string;
    action: string;
    targetType?: string;
    targetId?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(auditLog).values({ ...params, details: params.details ?? {} });
}

/** Several entries in one statement (a bulk action audits each row it changed). */
export async function insertAuditEntries(
  db: Db,
  entries: readonly { workspaceId: string | null; actor: string; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown> }[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(entries.map((entry) => ({ ...entry, details: entry.details ?? {} })));
}
