import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { campaignChunkCompleted } from "@/inngest/events";
import { endCampaignIfDone } from "@/lib/campaigns/end-campaign-if-done";

/**
 * Runs as each chunk reports; the one that finds every chunk done and
 * sent + suppressed + failed = audience ends the campaign — sent, or failed when no message
 * went out — with its failures summarised, and releases unused credits.
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
