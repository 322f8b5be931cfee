import { NextResponse } from "next/server";
import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { campaignDetailView } from "@/lib/campaigns/campaign-view";

type Params = { id: string };

/** The campaign with its live counters. */
export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  return campaign ? NextResponse.json(await campaignDetailView(db, campaign)) : notFound("Campaign");
});
