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
