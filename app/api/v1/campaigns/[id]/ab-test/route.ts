import { NextResponse } from "next/server";
import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { abTestView } from "@/lib/campaigns/ab-test-view";

/** A campaign's A/B test results: live counts per variant, the leader, and the recorded winner. */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  if (!campaign) return notFound("Campaign");
  const view = await abTestView(db, campaign);
  if (!view) return notFound("A/B test");
  return NextResponse.json(view);
});
