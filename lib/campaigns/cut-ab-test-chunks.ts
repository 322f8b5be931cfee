import type { Db } from "@/db";
import { cutChunksForAbTest } from "@/db/queries/campaign-ab-tests";
import type { Campaign } from "@/db/queries/campaigns";
import { abDecisionAt, abSampleSize } from "@/core/campaigns/ab-test";
import type { CampaignEvent } from "./campaign-event";

/**
 * For an A/B campaign, after the snapshot: the test sample's size, its variants and chunks (due
 * now), and the rest's chunks held until the window ends (cutChunksForAbTest); returns the event
 * that picks the winner then. The window is counted from `startedAt`, which sending fixed, so a
 * repeated call asks for the same instant under the same event id. Repeatable.
 */
export async function cutAbTestChunks(
  db: Db,
  campaign: Pick<Campaign, "id" | "workspaceId" | "startedAt" | "abTest">,
  params: { audience: number; chunkSize: number; now: Date },
): Promise<Extract<CampaignEvent, { kind: "ab-winner-due" }>> {
  const test = campaign.abTest;
  if (!test) throw new Error("not an A/B campaign");
  const startedAt = campaign.startedAt ?? params.now;
  const decideAt = abDecisionAt(startedAt, test.windowMinutes);
  const sampleSize = abSampleSize(params.audience, test.testPercent, test.variants.length);
  await cutChunksForAbTest(db, { campaignId: campaign.id, chunkSize: params.chunkSize, variants: test.variants.length, sampleSize, holdUntil: decideAt });
  return {
    kind: "ab-winner-due",
    id: `campaign-ab-${campaign.id}-${startedAt.getTime()}`,
    data: { workspaceId: campaign.workspaceId, campaignId: campaign.id, decideAt: decideAt.toISOString() },
  };
}
