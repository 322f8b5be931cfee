import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { analyticsApi } from "@/lib/api/contracts/analytics";
import { analyticsCsvResponse } from "@/lib/analytics/analytics-csv";
import { campaignAnalytics } from "@/lib/analytics/analytics-view";

/** One table of a campaign's analytics as CSV (`?table=series|links|domains|heatmap`). */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const query = readQuery(request, analyticsApi.campaignExport.query);
  if (!query.ok) return query.response;
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  if (!campaign) return notFound("Campaign");
  const view = await campaignAnalytics(db, { workspaceId: principal.workspaceId, campaignId: campaign.id, query: query.data });
  return analyticsCsvResponse(view, query.data.table, `campaign-${campaign.id}`);
});
