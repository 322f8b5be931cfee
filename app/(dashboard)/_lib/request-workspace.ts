import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import type { Workspace } from "@/db/queries/workspaces";
import { pickWorkspace } from "./workspace";

/** One cookie's value from a `Cookie:` header; undefined when absent. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/**
 * The workspace a dashboard route handler serves, chosen exactly as pages choose it
 * (`?workspace=`, then the cookie, then the oldest), but read from the Request itself so the
 * handler is a plain function of its input.
 */
export function workspaceForRequest(request: Request, workspaces: readonly Workspace[]): Workspace | null {
  const requested = new URL(request.url).searchParams.get("workspace") ?? undefined;
  return pickWorkspace(workspaces, requested, cookieValue(request.headers.get("cookie"), WORKSPACE_COOKIE));
}
