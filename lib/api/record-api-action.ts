import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import type { ApiPrincipal } from "./authenticate";

/** Audits a change made through the API, attributed to the API key that made it. */
export function recordApiAction(
  db: Db,
  principal: ApiPrincipal,
  entry: { action: string; targetType: string; targetId: string; details?: Record<string, unknown> },
): Promise<void> {
  return insertAuditEntry(db, { workspaceId: principal.workspaceId, actor: `api_key:${principal.apiKeyId}`, ...entry });
}
