import { z } from "zod";
import { getDatabase } from "@/db";
import { getCampaign } from "@/db/queries/campaigns";
import { listWorkspaces } from "@/db/queries/workspaces";
import { analyticsCsvResponse } from "@/lib/analytics/analytics-csv";
import { campaignAnalyticsExportQuery, workspaceAnalyticsExportQuery } from "@/lib/analytics/analytics-request";
import { campaignAnalytics, workspaceAnalytics } from "@/lib/analytics/analytics-view";
import { workspaceForRequest } from "../../_lib/request-workspace";

export const dynamic = "force-dynamic";

const text = (body: string, status: number) => new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * "Download CSV" on /analytics and a campaign's page (`?campaign=<id>`): the API's export with the
 * page's filters; behind the dashboard gate in proxy.ts like the pages.
 */
export async function GET(request: Request): Promise<Response> {
  const db = (await getDatabase()).db;
  const workspace = workspaceForRequest(request, await listWorkspaces(db));
  if (!workspace) return text("Not found.", 404);
  const params = new URL(request.url).searchParams;
  const campaignId = params.get("campaign");
  params.delete("campaign");
  params.delete("workspace");
  const input = Object.fromEntries([...params].filter(([, value]) => value !== ""));
  if (campaignId) {
    const campaign = z.uuid().safeParse(campaignId).success ? await getCampaign(db, { workspaceId: workspace.id, campaignId }) : undefined;
    if (!campaign) return text("Not found.", 404);
    const query = campaignAnalyticsExportQuery.safeParse(input);
    if (!query.success) return text(query.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"), 400);
    return analyticsCsvResponse(await campaignAnalytics(db, { workspaceId: workspace.id, campaignId: campaign.id, query: query.data }), query.data.table, `campaign-${campaign.id}`);
  }
  const query = workspaceAnalyticsExportQuery.safeParse(input);
  if (!query.success) return text(query.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"), 400);
  return analyticsCsvResponse(await workspaceAnalytics(db, { workspaceId: workspace.id, query: query.data }), query.data.table, "analytics");
}
