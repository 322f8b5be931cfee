import { getDatabase } from "@/db";
import { markGuardTripsAnnounced } from "@/db/queries/campaign-guard-trips";
import { inngest } from "@/inngest/client";
import { campaignGuardTripped } from "@/inngest/events";
import { guardSendingCampaigns } from "@/lib/analytics/guard-sending-campaigns";
import { guardThresholds } from "@/lib/analytics/guard-thresholds";

/**
 * The send-time guard's sweep, every minute: each sending campaign whose complaint or hard-bounce
 * rate passed its threshold (after GUARD_MIN_SAMPLE sends) is paused, between the checks
 * send-campaign-chunk makes before each chunk — complaints keep arriving while a chunk sends, and
 * a campaign's last chunk has no next one. Then every pause not yet announced is announced
 * (campaign/guard.tripped, one id per pause, so the chunk run's own announcement is not repeated).
 * One step when nothing tripped.
 */
export const guardCampaigns = inngest.createFunction(
  { id: "guard-campaigns", triggers: [{ cron: "* * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const sweep = await step.run("guard-sending-campaigns", async () => guardSendingCampaigns((await getDatabase()).db, guardThresholds()));
    if (sweep.unannounced.length > 0) {
      await step.sendEvent(
        "announce-guard-trips",
        sweep.unannounced.map((trip) => campaignGuardTripped.create(trip, { id: `campaign-guard-${trip.tripId}` })),
      );
      await step.run("mark-trips-announced", async () => markGuardTripsAnnounced((await getDatabase()).db, { tripIds: sweep.unannounced.map((trip) => trip.tripId) }));
    }
    return { checked: sweep.checked, paused: sweep.paused, announced: sweep.unannounced.length };
  },
);
