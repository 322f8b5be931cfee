import { getDatabase } from "@/db";
import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { campaignChunkCompleted } from "@/inngest/events";
import { campaignFinishedEvent } from "@/lib/campaigns/campaign-event";
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
    const result = await step.run("finalize", async () => endCampaignIfDone((await getDatabase()).db, { workspaceId, campaignId }));
    // Announced whenever the campaign is over, not only by the call that ended it: a retry after the
    // transition still announces, and the event's id keeps it to one.
    if (result.status) await step.sendEvent("announce-finished", campaignEvent(campaignFinishedEvent({ workspaceId, campaignId }, result.status)));
    return result;
  },
);
