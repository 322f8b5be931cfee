import { getDatabase } from "@/db";
import { listLiveJourneysByTrigger } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { contactCreated, contactImportCompleted, journeySegmentEvaluationRequested } from "@/inngest/events";
import { logger } from "@/lib/observability/logger";
import { SEGMENT_PLAN_PAGE } from "./plan-journey-segments";

/**
 * Contacts changed in a workspace (one created through the API, an import completed): asks for an
 * evaluation of each of the workspace's live segment-triggered journeys now rather than at the
 * next 15-minute cron, so a new contact that matches enters within a minute or so. Debounced per
 * workspace: a burst of creations is one request a minute after the last (at most 10 minutes
 * after the first), never one evaluation per contact. Event ids name the debounced event, so a
 * replay asks nothing twice; evaluations of one journey run one at a time whatever asked. The
 * first 500 journeys of a workspace are asked for here; the cron covers any beyond.
 */
export const requestSegmentEvaluations = inngest.createFunction(
  {
    id: "request-segment-evaluations",
    triggers: [contactCreated, contactImportCompleted],
    debounce: { key: "event.data.workspaceId", period: "1m", timeout: "10m" },
    retries: 3,
  },
  async ({ event, step }) => {
    const { workspaceId } = event.data;
    const journeys = await step.run("list-journeys", async () =>
      (await listLiveJourneysByTrigger((await getDatabase()).db, { type: "segment", workspaceId, limit: SEGMENT_PLAN_PAGE })).map(({ journeyId, version }) => ({ journeyId, version })),
    );
    if (journeys.length > 0) {
      await step.sendEvent(
        "request-evaluations",
        journeys.map((journey) =>
          journeySegmentEvaluationRequested.create({ workspaceId, ...journey }, { id: `journey-segment-eval-${journey.journeyId}-v${journey.version}-after-${event.id ?? event.ts}` }),
        ),
      );
    }
    logger.info({ workspaceId, requested: journeys.length, cause: event.name }, "journeys: segment evaluations requested after a contact change");
    return { requested: journeys.length };
  },
);
