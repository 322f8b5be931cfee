import { NonRetriableError, RetryAfterError } from "inngest";
import { getDb } from "@/db";
import { inngest } from "@/inngest/client";
import { campaignChunkCompleted, campaignChunkReady } from "@/inngest/events";
import { campaignSettings, chunkThrottle } from "@/lib/campaigns/campaign-settings";
import { ConfigError } from "@/lib/config/env";
import { publicUrl } from "@/lib/config/public-url";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { ProviderError } from "@/lib/providers/errors";
import { createProviders } from "@/lib/providers/create-providers";

const settings = campaignSettings();

/**
 * Sends one chunk (~1,000 recipients) of a campaign in a single step: the step only ever sends
 * to recipients still pending, so a retry continues where the last attempt stopped. Throttled
 * per provider account (every workspace on one Resend key shares its limit), at most two chunks
 * per workspace at once (a million-recipient campaign cannot hold every slot), and ranked below
 * transactional notifications (send-notification's priority).
 */
export const sendCampaignChunk = inngest.createFunction(
  {
    id: "send-campaign-chunk",
    triggers: [campaignChunkReady],
    retries: 10,
    throttle: { key: "event.data.providerAccount", ...chunkThrottle(settings) },
    concurrency: [{ key: "event.data.workspaceId", limit: 2 }],
  },
  async ({ event, step }) => {
    const result = await step.run("send-chunk", async () => {
      const db = await getDb();
      const providers = createProviders(db);
      try {
        return await deliverChunk(db, providers, settings, { ...event.data, baseUrl: publicUrl() });
      } catch (error) {
        // A 429 is the provider asking us to wait, never a failed recipient.
        if (error instanceof ProviderError && error.kind === "rate-limited") {
          throw new RetryAfterError(error.message, new Date(Date.now() + (error.details.retryAfterMs ?? 1_000)));
        }
        // The channel is not configured: retries cannot fix that, a restart with the variable can
        // (the watchdog re-emits the chunk once it has stalled).
        if (error instanceof ConfigError) throw new NonRetriableError(error.message);
        throw error;
      }
    });
    if (result.completed) {
      const { workspaceId, campaignId, chunk } = event.data;
      await step.sendEvent("report-chunk", campaignChunkCompleted.create({ workspaceId, campaignId, chunk }, { id: `campaign-chunk-done-${campaignId}-${chunk}` }));
    }
    return result;
  },
);
