import { NextResponse } from "next/server";
import { z } from "zod";
import { listCampaignAnalyses } from "@/db/queries/campaign-analyses";
import { listGuardTrips } from "@/db/queries/campaign-guard-trips";
import { getCampaign } from "@/db/queries/campaigns";
import { campaignAnalysisView } from "@/lib/analytics/campaign-analysis-view";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

/** A campaign's analyses against the workspace baseline and its guard pauses; another workspace's campaign is 404. */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const ids = { workspaceId: principal.workspaceId, campaignId: params.id };
  const campaign = await getCampaign(db, ids);
  if (!campaign) return notFound("Campaign");
  const [analyses, trips] = await Promise.all([listCampaignAnalyses(db, ids), listGuardTrips(db, ids)]);
  return NextResponse.json(campaignAnalysisView(campaign.id, analyses, trips));
});
