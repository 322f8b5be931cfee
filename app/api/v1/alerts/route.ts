import { NextResponse } from "next/server";
import { listWorkspaceAlerts } from "@/db/queries/workspace-alerts";
import { alertsApi } from "@/lib/api/contracts/guards";
import { apiRoute, readQuery } from "@/lib/api/route";
import { workspaceAlertView } from "@/lib/analytics/workspace-alert-view";

/** The workspace's alerts, newest first: open ones, or all with `?includeResolved=true`. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, alertsApi.list.query);
  if (!query.ok) return query.response;
  const alerts = await listWorkspaceAlerts(db, { workspaceId: principal.workspaceId, includeResolved: query.data.includeResolved, limit: query.data.limit });
  return NextResponse.json({ data: alerts.map(workspaceAlertView) });
});
