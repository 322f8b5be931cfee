import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { campaignChunkCompleted, campaignChunkReady, campaignGuardTripped } from "@/inngest/events";
import { guardCampaign } from "@/lib/analytics/guard-campaign";
import { guardThresholds } from "@/lib/analytics/guard-thresholds";
import { campaignSettings, chunkThrottle } from "@/lib/campaigns/campaign-settings";
import { publicUrl } from "@/lib/config/public-url";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { stepError } from "@/lib/providers/step-error";
import { createProviders } from "@/lib/providers/create-providers";

const settings = campaignSettings();

/**
 * Sends one chunk (~1,000 recipients) of a campaign in a single step: the step only ever sends
 * to recipients still pending, so a retry continues where the last attempt stopped. Throttled
 * per provider account (every workspace on one Resend key shares its limit), a few chunks per
 * workspace at once (chunkRunsPerWorkspace: a million-recipient campaign cannot hold every slot), and ranked below
 * transactional notifications (send-notification's priority). The run that finds every chunk of
 * the campaign done reports it (`campaign/chunk.completed`, one per campaign) to finalize-campaign;
 * should that report be lost, the watchdog (watch-campaigns) finalizes.
 */
export const sendCampaignChunk = inngest.createFunction(
  {
    id: "send-campaign-chunk",
    triggers: [campaignChunkReady],
    retries: 10,
    throttle: { key: "event.data.providerAccount", ...chunkThrottle(settings) },
    concurrency: [{ key: "event.data.workspaceId", limit: settings.chunkRunsPerWorkspace }],
  },
  async ({ event, step }) => {
    const result = await step.run("send-chunk", async () => {
      const { db } = await getDatabase();
      const providers = createProviders(db);
      // The guard, between chunks and inside this step (no extra execution per chunk): a
      // campaign whose complaint or hard-bounce rate passed its threshold is paused here, and
      // deliverChunk then sends nothing new.
      const { workspaceId, campaignId } = event.data;
      const guardTrip = await guardCampaign(db, { workspaceId, campaignId }, guardThresholds(), { actor: "function:send-campaign-chunk" });
      try {
        return { ...(await deliverChunk(db, providers, settings, { ...event.data, baseUrl: publicUrl() })), guardTrip };
      } catch (error) {
        // A 429 waits; an unconfigured channel stops the run: retries cannot fix that, a restart
        // with the variable can (the watchdog re-emits the chunk once it has stalled).
        throw stepError(error);
      }
    });
    if (result.guardTrip) {
      const { reason: _reason, ...trip } = result.guardTrip;
      await step.sendEvent("announce-guard-trip", campaignGuardTripped.create(trip, { id: `campaign-guard-${trip.tripId}` }));
    }
    // Only a run that finds every chunk done reports, once per campaign (one event id), so the
    // campaign is finalized once rather than checked after each of its chunks.
    if (result.state === "done" && result.campaignDone) {
      const { workspaceId, campaignId, chunk } = event.data;
      await step.sendEvent("report-campaign-done", campaignChunkCompleted.create({ workspaceId, campaignId, chunk }, { id: `campaign-chunks-done-${campaignId}` }));
    }
    return result;
  },
);
