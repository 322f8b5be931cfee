import { getDatabase } from "@/db";
import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { rescueStalledCampaigns } from "@/lib/campaigns/rescue-stalled-campaigns";

/**
 * The stuck-campaign watchdog, every five minutes: campaigns in `sending` with no progress for
 * STUCK_SENDING_MINUTES get their missing chunks re-emitted (only chunks still pending, under
 * new event ids), finished-but-unreported ones finalized, and credit reservations of ended or
 * expired campaigns released. Everything it does goes into the audit log.
 */
export const watchCampaigns = inngest.createFunction(
  { id: "watch-campaigns", triggers: [{ cron: "*/5 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    return step.run("rescue-stalled-campaigns", async () =>
      rescueStalledCampaigns((await getDatabase()).db, campaignSettings(), async (events) => {
        await inngest.send(events.map(campaignEvent));
      }),
    );
  },
);
