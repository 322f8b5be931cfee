import { NextResponse } from "next/server";
import { apiRoute, readQuery } from "@/lib/api/route";
import { analyticsApi } from "@/lib/api/contracts/analytics";
import { workspaceAnalytics } from "@/lib/analytics/analytics-view";

/** The workspace's engagement overview for local days `from`..`to` in `tz`. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, analyticsApi.workspace.query);
  if (!query.ok) return query.response;
  return NextResponse.json(await workspaceAnalytics(db, { workspaceId: principal.workspaceId, query: query.data }));
});
