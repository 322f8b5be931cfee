import { segmentEvaluationSlot } from "@/core/journeys/segment-evaluation";
import { getDatabase } from "@/db";
import { listLiveJourneysByTrigger } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { segmentEvaluationEvent } from "@/inngest/journey-events";
import { logger } from "@/lib/observability/logger";

/** Live segment-triggered journeys per page: one step lists them, one send asks for their evaluations. */
export const SEGMENT_PLAN_PAGE = 500;

/**
 * Every 15 minutes: asks one evaluate-journey-segment run per live segment-triggered journey
 * (its published version) to enroll the contacts that entered its segment since the last
 * evaluation. Event ids name the 15-minute slot of the app's clock, so a replayed or doubled
 * cron asks nothing twice for the same slot.
 */
export const planJourneySegments = inngest.createFunction(
  { id: "plan-journey-segments", triggers: [{ cron: "TZ=UTC */15 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    let after: string | null = null;
    let requested = 0;
    for (let page = 0; ; page++) {
      const found = await step.run(`list-page-${page}`, async () => {
        const { db } = await getDatabase();
        const journeys = await listLiveJourneysByTrigger(db, { type: "segment", after, limit: SEGMENT_PLAN_PAGE });
        const slot = segmentEvaluationSlot(new Date());
        return { journeys: journeys.map(({ workspaceId, journeyId, version }) => ({ workspaceId, journeyId, version })), slot };
      });
      if (found.journeys.length > 0) {
        await step.sendEvent(
          `request-evaluations-${page}`,
          found.journeys.map((journey) => segmentEvaluationEvent(journey, found.slot)),
        );
      }
      requested += found.journeys.length;
      if (found.journeys.length < SEGMENT_PLAN_PAGE) break;
      after = found.journeys.at(-1)!.journeyId;
    }
    logger.info({ requested }, "journeys: segment evaluations requested");
    return { requested };
  },
);
