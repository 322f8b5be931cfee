import type { Db } from "@/db";
import { getWorkspace } from "@/db/queries/workspaces";

/** The region national phone numbers are read in; null when the workspace has none set. */
export async function workspaceRegion(db: Db, workspaceId: string): Promise<string | null> {
  const workspace = await getWorkspace(db, { workspaceId });
  return workspace?.defaultRegion ?? null;
}
