import { getDatabase } from "@/db";
import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { campaignAbWinnerDue } from "@/inngest/events";
import { releaseAbWinner } from "@/lib/campaigns/release-ab-winner";

/** Inngest takes at most 5,000 events per send. */
const EVENTS_PER_SEND = 5_000;

/**
 * An A/B campaign's decision: sleeps durably until the test window ends, then records the winner
 * (once, conditionally: a replay or retry reads it back rather than picking again) and emits the
 * held chunks of the rest of the audience, which deliver the winner. Nothing else emits those
 * chunks before their release_at (the window's end); a chunk run that finds no winner recorded
 * settles the same one itself. A winner picked by hand earlier leaves this run nothing to emit.
 */
export const pickCampaignAbWinner = inngest.createFunction(
  { id: "pick-campaign-ab-winner", triggers: [campaignAbWinnerDue], retries: 5, concurrency: [{ key: "event.data.campaignId", limit: 1 }] },
  async ({ event, step }) => {
    const { workspaceId, campaignId, decideAt } = event.data;
    await step.sleepUntil("wait-for-test-window", new Date(decideAt));
    const release = await step.run("pick-winner", async () => releaseAbWinner((await getDatabase()).db, { workspaceId, campaignId }, "window", new Date()));
    if (!release.ok) return { skipped: release.reason };
    for (let start = 0; start < release.events.length; start += EVENTS_PER_SEND) {
      await step.sendEvent(`emit-chunks-${start / EVENTS_PER_SEND}`, release.events.slice(start, start + EVENTS_PER_SEND).map(campaignEvent));
    }
    return { winner: release.winner, recordedNow: release.recordedNow, chunks: release.events.length };
  },
);
