import { apiRoute, readQuery } from "@/lib/api/route";
import { analyticsApi } from "@/lib/api/contracts/analytics";
import { analyticsCsvResponse } from "@/lib/analytics/analytics-csv";
import { workspaceAnalytics } from "@/lib/analytics/analytics-view";

/** One table of the workspace overview as CSV (`?table=series|links|domains|heatmap`). */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, analyticsApi.workspaceExport.query);
  if (!query.ok) return query.response;
  return analyticsCsvResponse(await workspaceAnalytics(db, { workspaceId: principal.workspaceId, query: query.data }), query.data.table, "analytics");
});
