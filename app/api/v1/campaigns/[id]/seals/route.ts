import { NextResponse } from "next/server";
import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { sealCampaignMetrics } from "@/lib/seals/seal-campaign-metrics";
import { campaignSealViews, sealView } from "@/lib/seals/seal-view";

type Params = { id: string };

/** The campaign's seals, each re-verified from its stored row and compared with today's rollups. */
export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  if (!campaign) return notFound("Campaign");
  return NextResponse.json({ data: await campaignSealViews(db, { workspaceId: principal.workspaceId, campaignId: campaign.id }) });
});

/** Seals the campaign's metrics now; 503 with the reason when no signing key is configured. */
export const POST = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const result = await sealCampaignMetrics(db, { workspaceId: principal.workspaceId, campaignId: params.id, kind: "manual", actor: `api_key:${principal.apiKeyId}` });
  switch (result.outcome) {
    case "not_found":
      return notFound("Campaign");
    case "not_started":
      return apiError(409, "not_started", result.reason);
    case "refused":
      return apiError(503, "sealing_unavailable", result.reason);
    default:
      await recordApiAction(db, principal, { action: "campaign.sealed", targetType: "campaign", targetId: result.seal.campaignId, details: { sealId: result.seal.id, sequence: result.seal.sequence } });
      return NextResponse.json(await sealView(db, result.seal), { status: 201 });
  }
});
