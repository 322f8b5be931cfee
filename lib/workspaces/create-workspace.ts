import type { Db } from "@/db";
import { insertApiKey } from "@/db/queries/api-keys";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { insertWorkspace, type Workspace } from "@/db/queries/workspaces";
import { generateApiKey } from "@/lib/auth/api-key";

/** Creates a workspace with its first API key. The key is returned here and never again. */
export async function createWorkspace(db: Db, params: { name: string }): Promise<{ workspace: Workspace; apiKey: string }> {
  return db.transaction(async (tx) => {
    const workspace = await insertWorkspace(tx, { name: params.name });
    const { key, prefix, keyHash } = generateApiKey();
    const apiKey = await insertApiKey(tx, { workspaceId: workspace.id, name: "default", prefix, keyHash });
    await insertAuditEntry(tx, {
      workspaceId: workspace.id,
      actor: "system",
      action: "workspace.created",
      targetType: "api_key",
      targetId: apiKey.id,
      details: { prefix },
    });
    return { workspace, apiKey: key };
  });
}
