import type { JourneyEnrollment } from "@/db/queries/journeys";
import { segmentEvaluationEventId } from "@/core/journeys/segment-evaluation";
import { journeyEnrollmentStarted, journeySegmentEnrollmentRequested, journeySegmentEvaluationRequested } from "./events";

/** The event starting an enrollment's run; its id makes a resent start a no-op. */
export function enrollmentStartEvent(enrollment: Pick<JourneyEnrollment, "id" | "workspaceId" | "journeyId" | "contactId">, goalEventName: string | null) {
  return journeyEnrollmentStarted.create(
    { workspaceId: enrollment.workspaceId, journeyId: enrollment.journeyId, enrollmentId: enrollment.id, contactId: enrollment.contactId, goalEventName },
    { id: `journey-enrollment-${enrollment.id}` },
  );
}

/** Starts the fan-out that enrolls a segment-triggered version's segment, once per version. */
export function segmentEnrollmentEvent(params: { workspaceId: string; journeyId: string; version: number }) {
  return journeySegmentEnrollmentRequested.create(params, { id: `journey-segment-${params.journeyId}-v${params.version}` });
}

/** Asks for one re-evaluation of a live segment-triggered version in a 15-minute slot. */
export function segmentEvaluationEvent(params: { workspaceId: string; journeyId: string; version: number }, slot: string) {
  return journeySegmentEvaluationRequested.create(params, { id: segmentEvaluationEventId(params.journeyId, params.version, slot) });
}
