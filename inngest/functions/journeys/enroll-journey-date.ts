import { parseLocalDate } from "@/core/automations/date-schedule";
import { journeyGraph } from "@/core/journeys/graph";
import { getDatabase } from "@/db";
import { getJourney, getJourneyVersion } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { journeyDateDue } from "@/inngest/events";
import { enrollmentStartEvent } from "@/inngest/journey-events";
import { zoneDay } from "@/lib/automations/zone-day";
import { enrollDatePage } from "@/lib/journeys/enroll-date-page";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { SEGMENT_ENROLL_MAX_PAGES } from "./enroll-journey-segment";

/**
 * Enrolls a date-triggered journey's contacts in one zone on one local day (planned by
 * plan-date-automations beside the date automations): the same zone check as
 * send-date-automation (a run after the zone's day has ended does nothing), then pages of the
 * zone's contacts whose date it is, each enrolled in bulk once per year and started by one batch
 * of events. Concurrency is keyed per workspace, like the date automations' sender.
 */
export const enrollJourneyDate = inngest.createFunction(
  {
    id: "enroll-journey-date",
    triggers: [journeyDateDue],
    concurrency: [{ key: "event.data.workspaceId", limit: 2 }],
    retries: 6,
  },
  async ({ event, step }) => {
    const { workspaceId, journeyId, version, zone, localDate } = event.data;
    const ids = { workspaceId, journeyId, version, zone, localDate };
    const plan = await step.run("find-zone", async () => {
      const { db } = await getDatabase();
      const journey = await getJourney(db, { workspaceId, journeyId });
      const row = journey?.status === "active" && journey.publishedVersion === version ? await getJourneyVersion(db, { journeyId, version }) : undefined;
      const trigger = row ? journeyGraph.parse(row.graph).trigger : undefined;
      if (trigger?.type !== "date") return { send: false as const, reason: "not active" };
      return zoneDay(db, { workspaceId, zone, localDate, time: { hour: trigger.hour, minute: trigger.minute }, now: new Date() });
    });
    if (!plan.send) {
      logger.info({ ...ids, reason: plan.reason }, "journeys: no date enrollment in this zone");
      return { enrolled: 0, reason: plan.reason };
    }
    const date = parseLocalDate(localDate)!;
    let afterId: string | null = null;
    let enrolled = 0;
    for (let page = 0; page < SEGMENT_ENROLL_MAX_PAGES; page++) {
      const result = await step.run(`enroll-page-${page}`, async () =>
        enrollDatePage((await getDatabase()).db, { workspaceId, journeyId, version, date, zones: plan, afterId, now: new Date() }),
      );
      if ("stopped" in result) {
        logger.info({ ...ids, page, reason: result.stopped }, "journeys: date enrollment stopped");
        return { enrolled, reason: result.stopped };
      }
      if (result.enrolled.length > 0) {
        await step.sendEvent(
          `start-page-${page}`,
          result.enrolled.map((enrollment) => enrollmentStartEvent({ id: enrollment.id, workspaceId, journeyId, contactId: enrollment.contactId }, result.goalEventName)),
        );
      }
      enrolled += result.enrolled.length;
      metrics().journeyEnrollments.inc({ outcome: "enrolled" }, result.enrolled.length);
      if (!result.nextAfterId) break;
      afterId = result.nextAfterId;
    }
    logger.info({ ...ids, enrolled }, "journeys: date enrolled");
    return { enrolled };
  },
);
