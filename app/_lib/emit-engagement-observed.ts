import { inngest } from "@/inngest/client";
import { engagementObserved } from "@/inngest/events";
import { logger } from "@/lib/observability/logger";
import type { TrackingObservation } from "@/lib/tracking/observe-tracking-request";

/**
 * Hands a tracking observation to the batch writer (`record-engagement`). Never throws: the pixel
 * and the redirect are answered whether or not the Inngest server took the event, since a broken
 * image or link costs the reader more than a missed count; a failure is logged (without the
 * reader's address, which the observation does not carry).
 */
export async function emitEngagementObserved(observation: TrackingObservation): Promise<void> {
  try {
    await inngest.send(engagementObserved.create(observation, { id: `engagement-${observation.observationId}` }));
  } catch (error) {
    logger.error({ err: error, messageId: observation.messageId, type: observation.type, source: observation.source }, "tracking: sending the engagement event failed");
  }
}
