import type { Db } from "@/db";
import { campaignFailureReasons, campaignProgress, type CampaignProgress } from "@/db/queries/campaign-recipients";
import { getCampaign, transitionCampaign } from "@/db/queries/campaigns";
import { releaseCredits } from "@/db/queries/credits";
import { failureSummary, SUMMARY_MAX_REASONS } from "./failure-summary";

export type Finalization = { finalized: boolean; status?: "sent" | "failed"; progress: CampaignProgress; released: number };

/**
 * Ends a campaign once every chunk is done and every recipient has an outcome:
 * sent + suppressed + failed = audience. It is `sent` when at least one message went out, and
 * `failed` when messages were attempted and none did — never "sent" for a campaign nobody got.
 * Either way, failures are summarised in the status reason (failureSummary). Releases the credits
 * it reserved but did not use (one per recipient not sent, so failed messages cost nothing).
 * Idempotent: the transition and the release each happen once.
 */
export async function endCampaignIfDone(db: Db, ids: { workspaceId: string; campaignId: string }): Promise<Finalization> {
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
  const status = progress.sent === 0 && progress.failed > 0 ? "failed" : "sent";
  const reasons = progress.failed > 0 ? await campaignFailureReasons(db, { campaignId: ids.campaignId, limit: SUMMARY_MAX_REASONS }) : [];
  const done = await transitionCampaign(db, { ...ids, from: ["sending"], to: status, set: { finishedAt: new Date(), statusReason: failureSummary(progress, reasons) } });
  const released = await releaseCredits(db, { ...ids, used: progress.sent, note: `campaign ${status}` });
  return { finalized: Boolean(done), status, progress, released };
}
