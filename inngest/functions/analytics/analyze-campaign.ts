import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { campaignFinished } from "@/inngest/events";
import { ANALYSIS_SETTLE_HOURS, analyzeFinishedCampaign } from "@/lib/analytics/analyze-finished-campaign";

/**
 * Compares a finished campaign with the workspace's trailing baseline (rates with 95 % intervals,
 * anomalies flagged), stored at once, then again ANALYSIS_SETTLE_HOURS later when late bounces,
 * complaints and opens have come in (the settled analysis supersedes the first). campaign/finished
 * is sent once per campaign under one id; the idempotency key keeps a replay from analysing twice.
 */
export const analyzeCampaign = inngest.createFunction(
  {
    id: "analyze-campaign",
    triggers: [campaignFinished],
    retries: 5,
    idempotency: "event.data.campaignId",
    concurrency: [{ key: "event.data.workspaceId", limit: 2 }],
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, campaignId: event.data.campaignId };
    const finished = await step.run("analyze-finished", async () => analyzeFinishedCampaign((await getDatabase()).db, ids, "finished"));
    if (!finished) return { analyzed: false };
    await step.sleep("wait-for-late-events", `${ANALYSIS_SETTLE_HOURS}h`);
    // Re-read after the sleep (invariant 2): the campaign may have been deleted meanwhile.
    const settled = await step.run("analyze-settled", async () => analyzeFinishedCampaign((await getDatabase()).db, ids, "settled"));
    return { analyzed: true, finished, settled };
  },
);
