import { getDatabase } from "@/db";
import { touchCampaignProgress } from "@/db/queries/campaigns";
import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { campaignReleaseScheduled } from "@/inngest/events";
import { pendingChunkEvents } from "@/lib/campaigns/pending-chunk-events";
import { sendingCampaign } from "@/lib/campaigns/plan-campaign-send";

/** Inngest takes at most 5,000 events per send. */
const EVENTS_PER_SEND = 5_000;

/**
 * Chunks released at one instant: one zone of a local-time campaign ("09:00 in each recipient's
 * time zone"), or, with no zone, every chunk released at exactly that instant (an A/B send-time
 * variant's sample, the rest at the winner's time). Sleeps until the instant, then emits those
 * chunks still pending — so a release costs one run plus its chunk runs, however many recipients
 * it has. A campaign paused or cancelled meanwhile emits nothing (a resume re-emits the chunks
 * once they are due), and nothing but this run and those paths emits a chunk before its `release_at`.
 */
export const releaseCampaignChunks = inngest.createFunction(
  { id: "release-campaign-chunks", triggers: [campaignReleaseScheduled], retries: 5 },
  async ({ event, step }) => {
    const { workspaceId, campaignId, zone, releaseAt } = event.data;
    await step.sleepUntil("wait-for-release", new Date(releaseAt));
    const events = await step.run("release-chunks", async () => {
      const { db } = await getDatabase();
      const campaign = await sendingCampaign(db, { workspaceId, campaignId });
      if (!campaign) return [];
      // Not emitted since the instant: the watchdog may have released them first.
      const ready = await pendingChunkEvents(db, campaign, new Date(releaseAt), zone ? { zone, now: new Date() } : { releasedAt: new Date(releaseAt), now: new Date() });
      if (ready.length > 0) await touchCampaignProgress(db, { workspaceId, campaignId });
      return ready;
    });
    for (let start = 0; start < events.length; start += EVENTS_PER_SEND) {
      await step.sendEvent(`emit-chunks-${start / EVENTS_PER_SEND}`, events.slice(start, start + EVENTS_PER_SEND).map(campaignEvent));
    }
    return { zone: zone ?? null, releaseAt, chunks: events.length };
  },
);
