import { getDatabase } from "@/db";
import { dropSegmentLeavers } from "@/db/queries/journey-segment-members";
import { inngest } from "@/inngest/client";
import { journeySegmentEvaluationRequested } from "@/inngest/events";
import { enrollmentStartEvent } from "@/inngest/journey-events";
import { evaluateSegmentPage } from "@/lib/journeys/evaluate-segment-page";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { SEGMENT_ENROLL_MAX_PAGES } from "./enroll-journey-segment";

/**
 * Re-evaluates a live segment-triggered version's segment (Dittofeed's way): one run per journey
 * pages through the members (keyset on contact id), each page one `step.run` that stamps them as
 * seen and enrolls in bulk those the version had not seen — contacts that entered since the last
 * evaluation, or came back after leaving — under the re-entry rule, and one `step.sendEvent`
 * starting their runs in a batch. A last step forgets the members not seen this time (they left),
 * so coming back is a new entry; it is skipped when the scan stopped early, since an unseen
 * member is then not known to have left. One run at a time per journey.
 */
export const evaluateJourneySegment = inngest.createFunction(
  {
    id: "evaluate-journey-segment",
    triggers: [journeySegmentEvaluationRequested],
    concurrency: [{ key: "event.data.journeyId", limit: 1 }],
    retries: 6,
  },
  async ({ event, step }) => {
    const { workspaceId, journeyId, version } = event.data;
    // The evaluation's stamp: every member it sees is marked with it, and rows older than it are the leavers.
    const stamp = new Date(await step.run("begin", async () => new Date().toISOString()));
    let afterId: string | null = null;
    let entered = 0;
    let enrolled = 0;
    let complete = false;
    for (let page = 0; page < SEGMENT_ENROLL_MAX_PAGES; page++) {
      const result = await step.run(`evaluate-page-${page}`, async () =>
        evaluateSegmentPage((await getDatabase()).db, { workspaceId, journeyId, version, afterId, stamp, now: new Date() }),
      );
      if ("stopped" in result) {
        logger.info({ workspaceId, journeyId, version, page, reason: result.stopped }, "journeys: segment evaluation stopped");
        return { entered, enrolled, stopped: result.stopped };
      }
      if (result.enrolled.length > 0) {
        await step.sendEvent(
          `start-page-${page}`,
          result.enrolled.map((enrollment) => enrollmentStartEvent({ id: enrollment.id, workspaceId, journeyId, contactId: enrollment.contactId }, result.goalEventName)),
        );
      }
      entered += result.entered;
      enrolled += result.enrolled.length;
      if (!result.nextAfterId) {
        complete = true;
        break;
      }
      afterId = result.nextAfterId;
    }
    metrics().journeySegmentTransitions.inc({ direction: "entered" }, entered);
    metrics().journeyEnrollments.inc({ outcome: "enrolled" }, enrolled);
    if (!complete) {
      logger.warn({ workspaceId, journeyId, version }, "journeys: segment evaluation reached its page limit; leavers kept until a full pass");
      return { entered, enrolled, left: 0 };
    }
    const left = await step.run("drop-leavers", async () => dropSegmentLeavers((await getDatabase()).db, { journeyId, version, stamp }));
    metrics().journeySegmentTransitions.inc({ direction: "left" }, left);
    logger.info({ workspaceId, journeyId, version, entered, enrolled, left }, "journeys: segment evaluated");
    return { entered, enrolled, left };
  },
);
