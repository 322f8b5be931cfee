import type { Db } from "@/db";
import { campaignProgress } from "@/db/queries/campaign-recipients";
import { getCampaign } from "@/db/queries/campaigns";
import { countInFlightMessages } from "@/db/queries/chunk-recipients";
import { releaseCredits } from "@/db/queries/credits";

export type StoppedRelease = { released: number } | { waiting: "not stopped" | "parts in flight" };

/**
 * Gives back a cancelled (or failed) campaign's unused credits — exactly its reservation minus
 * the messages that went out — once no part is in flight. A part claimed before the cancel
 * (claimCampaignPart) still goes out and costs its credits, so releasing while one is on its way
 * would refund messages that are then sent. The cancel calls this, and so does every chunk run
 * that stops after the cancel; the last one to record its part releases. Once per campaign.
 */
export async function releaseStoppedCampaignCredits(db: Db, ids: { workspaceId: string; campaignId: string }): Promise<StoppedRelease> {
  const campaign = await getCampaign(db, ids);
  if (campaign?.status !== "cancelled" && campaign?.status !== "failed") return { waiting: "not stopped" };
  if ((await countInFlightMessages(db, ids)) > 0) return { waiting: "parts in flight" };
  const { sent } = await campaignProgress(db, ids);
  return { released: await releaseCredits(db, { ...ids, used: sent, note: `campaign ${campaign.status}` }) };
}
