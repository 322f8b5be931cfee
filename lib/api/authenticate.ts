import type { Db } from "@/db";
import { findActiveApiKeyByHash, touchApiKey } from "@/db/queries/api-keys";
import { hashApiKey, looksLikeApiKey } from "@/lib/auth/api-key";

export type ApiPrincipal = { workspaceId: string; apiKeyId: string };

/** Resolves `Authorization: Bearer <key>` to its workspace, or null for a missing/wrong/revoked key. */
export async function authenticate(db: Db, request: Request): Promise<ApiPrincipal | null> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const key = match?.[1];
  if (!key || !looksLikeApiKey(key)) return null;
  const row = await findActiveApiKeyByHash(db, { keyHash: hashApiKey(key) });
  if (!row) return null;
  // Best effort: last-used is informational and must never fail the request.
  void touchApiKey(db, { id: row.id }).catch(() => {});
  return { workspaceId: row.workspaceId, apiKeyId: row.id };
}
