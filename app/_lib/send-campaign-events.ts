import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { apiError } from "@/lib/api/responses";
import type { CampaignEvent } from "@/lib/campaigns/campaign-event";
import { logger } from "@/lib/observability/logger";

/**
 * Sends the events an action asked for, as the typed events of inngest/events.ts. On failure the campaign's new state stands (the events'
 * ids are stable, so repeating the request re-sends them, and the watchdog restarts a sending
 * campaign that never got its run) and the caller gets a 503 to retry.
 */
export async function sendCampaignEvents(events: CampaignEvent[]): Promise<Response | null> {
  if (events.length === 0) return null;
  try {
    for (let start = 0; start < events.length; start += 5_000) await inngest.send(events.slice(start, start + 5_000).map(campaignEvent));
    return null;
  } catch (error) {
    logger.error({ err: error }, "campaigns: could not send events");
    return apiError(503, "queue_unavailable", "The change is recorded but its work could not be queued; repeat the request");
  }
}
