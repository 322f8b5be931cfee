import type { JourneyEnrollment } from "@/db/queries/journeys";
import { journeyEnrollmentStarted, journeySegmentEnrollmentRequested } from "./events";

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
