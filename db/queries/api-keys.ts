import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, workspaces } from "@/db/schema";

export type ApiKey = typeof apiKeys.$inferSelect;

export async function insertApiKey(
  db: Db,
  params: { workspaceId: string; name: string; prefix: string; keyHash: string },
): Promise<ApiKey> {
  const [row] = await db.insert(apiKeys).values(params).returning();
  return row!;
}

/** Active key by hash; the hash is of a 256-bit secret, so equality lookup leaks nothing useful. */
export async function findActiveApiKeyByHash(db: Db, params: { keyHash: string }): Promise<ApiKey | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, params.keyHash), isNull(apiKeys.revokedAt)));
  return row;
}

/** Active key by hash, with when its workspace's erasure was requested (null: none is). */
export async function findActiveApiKeyWithWorkspace(db: Db, params: { keyHash: string }): Promise<(ApiKey & { workspaceErasureRequestedAt: Date | null }) | undefined> {
  const [row] = await db
    .select({ key: apiKeys, workspaceErasureRequestedAt: workspaces.erasureRequestedAt })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(and(eq(apiKeys.keyHash, params.keyHash), isNull(apiKeys.revokedAt)));
  return row ? { ...row.key, workspaceErasureRequestedAt: row.workspaceErasureRequestedAt } : undefined;
}

export async function touchApiKey(db: Db, params: { id: string }): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, params.id));
}
