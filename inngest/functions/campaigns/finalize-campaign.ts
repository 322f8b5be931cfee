import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { campaignChunkCompleted } from "@/inngest/events";
import { endCampaignIfDone } from "@/lib/campaigns/end-campaign-if-done";

/**
 * Runs once per campaign, when the chunk run that completed last reports every chunk done: it
 * checks that sent + suppressed + failed = audience and ends the campaign — sent, or failed when
 * no message went out — with its failures summarised, and releases unused credits. (The
 * watchdog, watch-campaigns, finalizes a campaign whose report was lost.)
 */
export const finalizeCampaign = inngest.createFunction(
  {
    id: "finalize-campaign",
    triggers: [campaignChunkCompleted],
    retries: 5,
    concurrency: [{ key: "event.data.campaignId", limit: 1 }],
  },
  async ({ event, step }) => {
    const { workspaceId, campaignId } = event.data;
    return step.run("finalize", async () => endCampaignIfDone((await getDatabase()).db, { workspaceId, campaignId }));
  },
);
