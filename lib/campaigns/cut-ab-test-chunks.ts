import type { Db } from "@/db";
import { cutChunksForAbTest } from "@/db/queries/campaign-ab-tests";
import type { Campaign } from "@/db/queries/campaigns";
import { abDecisionAt, abHoldUntil, abSampleSize, abSendDelayMs, abVariantSendAt } from "@/core/campaigns/ab-test";
import { type CampaignEvent, chunkReleaseEvent } from "./campaign-event";

export type AbTestCut = {
  /** Picks the winner at the window's end (pick-campaign-ab-winner). */
  winnerDue: Extract<CampaignEvent, { kind: "ab-winner-due" }>;
  /** A send-time test's later variants: one release run per distinct send time. */
  releases: Extract<CampaignEvent, { kind: "release-scheduled" }>[];
};

/**
 * For an A/B campaign, after the snapshot: the test sample's size, its variants and chunks (due
 * now, or at a send-time variant's time), and the rest's chunks held until the decision
 * (cutChunksForAbTest); returns the events that release the later variants and pick the winner.
 * Every instant is counted from `startedAt`, which sending fixed, so a repeated call asks for the
 * same instants under the same event ids. Repeatable.
 */
export async function cutAbTestChunks(
  db: Db,
  campaign: Pick<Campaign, "id" | "workspaceId" | "startedAt" | "abTest">,
  params: { audience: number; chunkSize: number; now: Date },
): Promise<AbTestCut> {
  const test = campaign.abTest;
  if (!test) throw new Error("not an A/B campaign");
  const startedAt = campaign.startedAt ?? params.now;
  const decideAt = abDecisionAt(startedAt, test);
  const sampleSize = abSampleSize(params.audience, test.testPercent, test.variants.length);
  const sendAt = test.variants.map((_, variant) => (abSendDelayMs(test, variant) > 0 ? abVariantSendAt(startedAt, test, variant) : null));
  await cutChunksForAbTest(db, { campaignId: campaign.id, chunkSize: params.chunkSize, sendAt, sampleSize, holdUntil: abHoldUntil(startedAt, test) });
  const ids = { workspaceId: campaign.workspaceId, campaignId: campaign.id };
  const later = [...new Set(sendAt.filter((at) => at !== null).map((at) => at.getTime()))];
  return {
    winnerDue: { kind: "ab-winner-due", id: `campaign-ab-${campaign.id}-${startedAt.getTime()}`, data: { ...ids, decideAt: decideAt.toISOString() } },
    releases: later.map((at) => chunkReleaseEvent(ids, startedAt, new Date(at))),
  };
}
