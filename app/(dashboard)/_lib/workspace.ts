import { cookies } from "next/headers";
import { cache } from "react";
import { type Db, getDatabase } from "@/db";
import { listWorkspaces, type Workspace } from "@/db/queries/workspaces";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";

/** Once per request, however many components ask. */
const workspacesForRequest = cache(async (): Promise<Workspace[]> => listWorkspaces((await getDatabase()).db));

/**
 * Picks among workspaces (oldest first): the requested id, else the one remembered in the
 * cookie, else the oldest. An unknown id falls back rather than failing, so a stale cookie
 * never locks the operator out.
 */
export function pickWorkspace(workspaces: readonly Workspace[], ...preferred: (string | undefined)[]): Workspace | null {
  for (const id of preferred) {
    const match = id ? workspaces.find((workspace) => workspace.id === id) : undefined;
    if (match) return match;
  }
  return workspaces[0] ?? null;
}

export type DashboardContext = { db: Db; workspace: Workspace | null; workspaces: Workspace[] };

/**
 * The workspace a dashboard page shows: `?workspace=<id>` (the page passes it), else the cookie
 * (proxy.ts stores an explicit choice there), else the oldest workspace.
 */
export async function dashboardContext(requested?: string): Promise<DashboardContext> {
  const [db, workspaces, jar] = await Promise.all([getDatabase().then(({ db }) => db), workspacesForRequest(), cookies()]);
  return { db, workspaces, workspace: pickWorkspace(workspaces, requested, jar.get(WORKSPACE_COOKIE)?.value) };
}
