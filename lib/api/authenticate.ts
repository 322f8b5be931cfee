import type { Db } from "@/db";
import { findActiveApiKeyWithWorkspace, touchApiKey } from "@/db/queries/api-keys";
import { hashApiKey, looksLikeApiKey } from "@/lib/auth/api-key";

export type ApiPrincipal = { workspaceId: string; apiKeyId: string };

/** A valid key whose workspace is being erased: refused with this message until a restore. */
export class WorkspaceErasureRequested {
  readonly message = "This workspace is scheduled for erasure: its API keys are refused until the erasure is undone from the dashboard's Erasures page, within the recovery window";
}

/** Resolves `Authorization: Bearer <key>` to its workspace, or null for a missing/wrong/revoked key. */
export async function authenticate(db: Db, request: Request): Promise<ApiPrincipal | WorkspaceErasureRequested | null> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const key = match?.[1];
  if (!key || !looksLikeApiKey(key)) return null;
  const row = await findActiveApiKeyWithWorkspace(db, { keyHash: hashApiKey(key) });
  if (!row) return null;
  if (row.workspaceErasureRequestedAt) return new WorkspaceErasureRequested();
  // Best effort: last-used is informational and must never fail the request.
  void touchApiKey(db, { id: row.id }).catch(() => {});
  return { workspaceId: row.workspaceId, apiKeyId: row.id };
}
