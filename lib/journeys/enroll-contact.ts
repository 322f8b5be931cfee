import { journeyGraph, type JourneyGraph } from "@/core/journeys/graph";
import { reentryVerdict } from "@/core/journeys/reentry";
import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { activeEnrollment, insertEnrollment, insertStepEvents, lastEnrollment, type JourneyEnrollment } from "@/db/queries/journeys";

export type EnrollOutcome =
  | { outcome: "enrolled"; enrollment: JourneyEnrollment; goalEventName: string | null }
  | { outcome: "already_active" | "reentry_blocked" | "not_eligible" };

/** The trigger a contact entered on, as conditions see it (`event.name`, `event.properties`). */
export type EnrollmentTrigger = { kind: "event" | "manual" | "segment" | "date"; name: string | null; properties: Record<string, unknown>; key: string };

/**
 * Enrolls a contact in a journey's published version if its re-entry rule allows. `trigger.key`
 * identifies what caused it (a contact event, a manual request): when the insert meets an active
 * enrollment caused by the same key, that is this request retried, and it is returned as
 * enrolled so its start event is sent again (the event id makes that a no-op if it went out).
 */
export async function enrollContact(
  db: Db,
  params: { workspaceId: string; journeyId: string; version: number; graph: Record<string, unknown> | JourneyGraph; contactId: string; trigger: EnrollmentTrigger; now: Date },
): Promise<EnrollOutcome> {
  const graph = journeyGraph.parse(params.graph);
  const contact = await getContact(db, { workspaceId: params.workspaceId, contactId: params.contactId });
  if (!contact || contact.status === "unsubscribed") return { outcome: "not_eligible" };
  const goalEventName = graph.goal?.eventName ?? null;
  const retried = async () => {
    const active = await activeEnrollment(db, { journeyId: params.journeyId, contactId: params.contactId });
    return active && active.trigger.key === params.trigger.key ? active : undefined;
  };

  const last = await lastEnrollment(db, { journeyId: params.journeyId, contactId: params.contactId });
  const verdict = reentryVerdict(graph.reentry, last, params.now);
  if (!verdict.ok) {
    const mine = verdict.outcome === "already_active" ? await retried() : undefined;
    return mine ? { outcome: "enrolled", enrollment: mine, goalEventName } : { outcome: verdict.outcome };
  }
  const enrollment = await insertEnrollment(db, {
    workspaceId: params.workspaceId,
    journeyId: params.journeyId,
    version: params.version,
    contactId: params.contactId,
    trigger: params.trigger,
    startStepId: graph.start!,
    now: params.now,
  });
  if (!enrollment) {
    const mine = await retried();
    return mine ? { outcome: "enrolled", enrollment: mine, goalEventName } : { outcome: "already_active" };
  }
  return { outcome: "enrolled", enrollment, goalEventName };
}

/** The `exited` timeline row of an enrollment ended outside its run (the goal). */
export async function recordExit(db: Db, enrollment: JourneyEnrollment, reason: string, now: Date): Promise<void> {
  await insertStepEvents(db, { enrollment, events: [{ stepId: enrollment.currentStepId ?? "start", type: "exited", detail: { reason } }], now });
}
