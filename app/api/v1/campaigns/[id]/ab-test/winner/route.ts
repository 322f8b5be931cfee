import { NextResponse } from "next/server";
import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { abVariantLabel } from "@/core/ab-tests/ab-test";
import { campaignDetailView } from "@/lib/campaigns/campaign-view";
import { releaseAbWinner } from "@/lib/campaigns/release-ab-winner";
import { sendCampaignEvents } from "@/app/_lib/send-campaign-events";

const ABTEST_REFUSALS = {
  "not started": "The A/B test has not started: send the campaign first",
  "already decided": "The A/B test's winner is already picked",
  stopped: "The campaign was cancelled or failed: its A/B test has nothing left to decide",
  "variants still to send": "A variant's send time has not come yet: the winner can be picked once every variant has been sent",
} as const;

/**
 * Picks an A/B campaign's winner now (the best rate so far) and sends it to the rest of the
 * audience. Recorded once: when the window's run or another request got there first, 409.
 */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const ids = { workspaceId: principal.workspaceId, campaignId: params.id };
  const release = await releaseAbWinner(db, ids, "manual");
  if (!release.ok) {
    if (release.reason === "not found" || release.reason === "no test") return notFound(release.reason === "not found" ? "Campaign" : "A/B test");
    return apiError(409, "invalid_state", ABTEST_REFUSALS[release.reason]);
  }
  if (!release.recordedNow) return apiError(409, "invalid_state", "The A/B test's winner is already picked");
  await recordApiAction(db, principal, { action: "campaign.ab_winner_picked", targetType: "campaign", targetId: ids.campaignId, details: { winner: abVariantLabel(release.winner) } });
  const failed = await sendCampaignEvents(release.events);
  if (failed) return failed;
  const campaign = await getCampaign(db, ids);
  return NextResponse.json(await campaignDetailView(db, campaign!));
});
