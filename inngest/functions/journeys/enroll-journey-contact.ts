import { journeyGraph } from "@/core/journeys/graph";
import { getDatabase } from "@/db";
import { getContactEventForJourneys, listJourneysTriggeredBy } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { contactEventReceived } from "@/inngest/events";
import { enrollmentStartEvent } from "@/inngest/journey-events";
import { enrollContact } from "@/lib/journeys/enroll-contact";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * Enrolls a contact in every active journey whose published version starts on the event's name,
 * each under its re-entry rule, then starts one run per enrollment. The event is re-read from
 * contact_events by workspace (never trusted from the payload alone); start events carry ids
 * derived from the enrollment, so a retried step or a replay starts nothing twice.
 */
export const enrollJourneyContact = inngest.createFunction(
  { id: "enroll-journey-contact", triggers: [contactEventReceived], retries: 6 },
  async ({ event, step }) => {
    const { workspaceId, contactEventId } = event.data;
    const enrolled = await step.run("enroll-contact", async () => {
      const { db } = await getDatabase();
      const journeys = await listJourneysTriggeredBy(db, { workspaceId, eventName: event.data.name });
      if (journeys.length === 0) return [];
      const contactEvent = await getContactEventForJourneys(db, { workspaceId, contactEventId });
      if (!contactEvent) return [];
      const now = new Date();
      const started = [];
      for (const journey of journeys) {
        const outcome = await enrollContact(db, {
          workspaceId,
          journeyId: journey.journeyId,
          version: journey.version,
          graph: journeyGraph.parse(journey.graph),
          contactId: contactEvent.contactId,
          trigger: { kind: "event", name: contactEvent.name, properties: contactEvent.properties, key: `event-${contactEventId}` },
          now,
        });
        metrics().journeyEnrollments.inc({ outcome: outcome.outcome });
        logger.info({ workspaceId, journeyId: journey.journeyId, contactId: contactEvent.contactId, outcome: outcome.outcome }, "journeys: enrollment");
        if (outcome.outcome === "enrolled") {
          const { id, journeyId, contactId } = outcome.enrollment;
          started.push({ enrollment: { id, workspaceId, journeyId, contactId }, goalEventName: outcome.goalEventName });
        }
      }
      return started;
    });
    if (enrolled.length > 0) await step.sendEvent("start-enrollments", enrolled.map((item) => enrollmentStartEvent(item.enrollment, item.goalEventName)));
    return { enrolled: enrolled.length };
  },
);
