import type { Db } from "@/db";
import { inngest } from "@/inngest/client";
import { contactEvent } from "@/inngest/contact-event";
import { apiError } from "@/lib/api/responses";
import type { ContactEventInput } from "@/lib/events/contact-event-request";
import { type ContactEventOutcome, recordContactEvents } from "@/lib/events/record-contact-events";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * What POST /events and POST /events/batch share: record the events (counted and logged one by
 * one), then queue `contact/event.received` for every recorded one — repeats included, so a send
 * lost after the rows were written is repaired by the caller's retry, and the event ids (one per
 * caller's id) make a second send a no-op. Either the outcomes, or a 503 when the queue is down.
 */
export async function recordAndQueue(
  db: Db,
  workspaceId: string,
  inputs: readonly ContactEventInput[],
): Promise<{ ok: true; outcomes: ContactEventOutcome[] } | { ok: false; response: Response }> {
  const outcomes = await recordContactEvents(db, workspaceId, inputs);
  for (const [index, outcome] of outcomes.entries()) {
    const label = !outcome.ok ? "contact_not_found" : outcome.created ? "recorded" : "duplicate";
    metrics().contactEvents.inc({ outcome: label });
    const { id: eventId, name } = inputs[index]!;
    logger.info(
      { workspaceId, eventId, name, outcome: label, ...(outcome.ok ? { contactId: outcome.event.contactId, contactEventId: outcome.event.id } : {}) },
      "events: custom event received",
    );
  }
  const events = outcomes.flatMap((outcome) => (outcome.ok ? [contactEvent(outcome.event)] : []));
  if (events.length === 0) return { ok: true, outcomes };
  try {
    await inngest.send(events);
    return { ok: true, outcomes };
  } catch (error) {
    metrics().contactEvents.inc({ outcome: "queue_unavailable" }, events.length);
    logger.error({ err: error, workspaceId, events: events.length }, "events: could not queue the events");
    return { ok: false, response: apiError(503, "queue_unavailable", "The events are recorded but could not be queued; retry the same request") };
  }
}

/** A request refused before anything was recorded (400), counted like the others. */
export function countInvalid(): void {
  metrics().contactEvents.inc({ outcome: "invalid" });
}
