import { getDatabase } from "@/db";
import { endEnrollment, listEnrollmentsWithGoal } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { contactEventReceived } from "@/inngest/events";
import { recordExit } from "@/lib/journeys/enroll-contact";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * Records the exit of enrollments whose goal event arrived. Their runs are stopped by `cancelOn`
 * (run-journey-enrollment), which ends a run without a step of its own to write anything: this
 * writes the status and the timeline row. Either may come first; each step of a run re-reads the
 * enrollment and stops when it is no longer active.
 */
export const exitJourneyOnGoal = inngest.createFunction(
  { id: "exit-journey-on-goal", triggers: [contactEventReceived], retries: 6 },
  async ({ event, step }) => {
    const { workspaceId, contactId, name } = event.data;
    return step.run("exit-enrollments", async () => {
      const { db } = await getDatabase();
      const now = new Date();
      let exited = 0;
      for (const enrollment of await listEnrollmentsWithGoal(db, { workspaceId, contactId, eventName: name })) {
        if (!(await endEnrollment(db, { enrollmentId: enrollment.id, status: "exited", reason: "goal", now }))) continue;
        await recordExit(db, enrollment, "goal", now);
        exited++;
        metrics().journeyExits.inc({ status: "exited", reason: "goal" });
        logger.info({ workspaceId, journeyId: enrollment.journeyId, enrollmentId: enrollment.id, goal: name }, "journeys: goal reached, enrollment exited");
      }
      return { exited };
    });
  },
);
