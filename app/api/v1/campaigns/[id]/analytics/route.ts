import { NextResponse } from "next/server";
import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { analyticsApi } from "@/lib/api/contracts/analytics";
import { campaignAnalytics } from "@/lib/analytics/analytics-view";

/** A campaign's funnel, series, links, domains and heat map; another workspace's campaign is a 404. */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const query = readQuery(request, analyticsApi.campaign.query);
  if (!query.ok) return query.response;
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  if (!campaign) return notFound("Campaign");
  return NextResponse.json(await campaignAnalytics(db, { workspaceId: principal.workspaceId, campaignId: campaign.id, query: query.data }));
});
