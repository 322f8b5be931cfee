import { getDatabase } from "@/db";
import { listWorkspaces } from "@/db/queries/workspaces";
import { dashboardErrorReport } from "../../../_lib/error-report";
import { workspaceForRequest } from "../../../_lib/request-workspace";

export const dynamic = "force-dynamic";

/** "Download error report (CSV)" on an import's page; behind the dashboard gate in proxy.ts like the pages. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const [{ id }, db] = await Promise.all([params, getDatabase().then(({ db }) => db)]);
  const workspace = workspaceForRequest(request, await listWorkspaces(db));
  return dashboardErrorReport(db, workspace?.id, id);
}
