import type { Db } from "@/db";
import { insertApiKey } from "@/db/queries/api-keys";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { grantCredits } from "@/db/queries/credits";
import { insertWorkspace, type Workspace } from "@/db/queries/workspaces";
import { generateApiKey } from "@/lib/auth/api-key";
import { type Env, envValue } from "@/core/config/env";

/** Credits a new workspace starts with (WORKSPACE_STARTING_CREDITS); one credit sends one campaign message. */
export function startingCredits(env: Env = process.env): number {
  return envValue("WORKSPACE_STARTING_CREDITS", env);
}

/** Creates a workspace with its first API key and starting credits. The key is returned here and never again. */
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
    const credits = startingCredits();
    if (credits > 0) await grantCredits(tx, { workspaceId: workspace.id, amount: credits, note: "starting credits" });
    return { workspace, apiKey: key };
  });
}
