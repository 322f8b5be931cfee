import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { journeySegmentEnrollmentRequested } from "@/inngest/events";
import { enrollmentStartEvent } from "@/inngest/journey-events";
import { enrollSegmentPage } from "@/lib/journeys/enroll-segment-page";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** Pages one run may take (450 × 1,000 contacts), two steps per page, under Inngest's 1,000 steps per run. */
export const SEGMENT_ENROLL_MAX_PAGES = 450;

/**
 * Enrolls a segment-triggered journey's segment by fan-out: one run pages through the segment
 * (keyset on contact id), each page one `step.run` that inserts its enrollments in bulk and one
 * `step.sendEvent` that starts their runs in a batch — never one function run per contact to
 * enumerate. A 100k-contact segment costs 1 run and 200 steps here, plus the enrollments' own runs.
 */
export const enrollJourneySegment = inngest.createFunction(
  {
    id: "enroll-journey-segment",
    triggers: [journeySegmentEnrollmentRequested],
    concurrency: [{ key: "event.data.journeyId", limit: 1 }],
    retries: 6,
  },
  async ({ event, step }) => {
    const { workspaceId, journeyId, version } = event.data;
    let afterId: string | null = null;
    let total = 0;
    let complete = false;
    for (let page = 0; page < SEGMENT_ENROLL_MAX_PAGES; page++) {
      const result = await step.run(`enroll-page-${page}`, async () =>
        enrollSegmentPage((await getDatabase()).db, { workspaceId, journeyId, version, afterId, now: new Date() }),
      );
      if ("stopped" in result) {
        logger.info({ workspaceId, journeyId, version, page, reason: result.stopped }, "journeys: segment enrollment stopped");
        return { enrolled: total, stopped: result.stopped };
      }
      if (result.enrolled.length > 0) {
        await step.sendEvent(
          `start-page-${page}`,
          result.enrolled.map((enrollment) => enrollmentStartEvent({ id: enrollment.id, workspaceId, journeyId, contactId: enrollment.contactId }, result.goalEventName)),
        );
      }
      total += result.enrolled.length;
      metrics().journeyEnrollments.inc({ outcome: "enrolled" }, result.enrolled.length);
      if (!result.nextAfterId) {
        complete = true;
        break;
      }
      afterId = result.nextAfterId;
    }
    // Only when pages were left: a segment of several pages that ended normally also leaves `afterId` set.
    if (!complete) logger.warn({ workspaceId, journeyId, version }, "journeys: segment enrollment reached its page limit");
    logger.info({ workspaceId, journeyId, version, enrolled: total }, "journeys: segment enrolled");
    return { enrolled: total };
  },
);
