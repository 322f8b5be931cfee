import type { Db } from "@/db";
import { campaignProgress, type CampaignProgress } from "@/db/queries/campaign-recipients";
import { getCampaign, transitionCampaign } from "@/db/queries/campaigns";
import { releaseCredits } from "@/db/queries/credits";

export type Finalization = { finalized: boolean; progress: CampaignProgress; released: number };

/**
 * Marks a campaign sent once every chunk is done and every recipient has an outcome:
 * sent + suppressed + failed = audience. Releases the credits it reserved but did not use (one
 * per recipient not sent). Idempotent: the transition and the release each happen once.
 */
export async function finalizeCampaign(db: Db, ids: { workspaceId: string; campaignId: string }): Promise<Finalization> {
  const campaign = await getCampaign(db, ids);
  const progress = await campaignProgress(db, ids);
  // chunk_count is set when the plan is made: before that the snapshot may still be growing.
  const complete =
    campaign?.chunkCount !== null &&
    campaign?.chunkCount === progress.chunks &&
    progress.chunksDone === progress.chunks &&
    progress.pending === 0 &&
    progress.sent + progress.suppressed + progress.failed === progress.audience;
  if (!complete) return { finalized: false, progress, released: 0 };
  const done = await transitionCampaign(db, { ...ids, from: ["sending"], to: "sent", set: { finishedAt: new Date() } });
  const released = await releaseCredits(db, { ...ids, used: progress.sent, note: "campaign sent" });
  return { finalized: Boolean(done), progress, released };
}
