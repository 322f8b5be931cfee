import type { JourneyEnrollment } from "@/db/queries/journeys";
import { journeyEnrollmentStarted } from "./events";

/** The event starting an enrollment's run; its id makes a resent start a no-op. */
export function enrollmentStartEvent(enrollment: Pick<JourneyEnrollment, "id" | "workspaceId" | "journeyId" | "contactId">, goalEventName: string | null) {
  return journeyEnrollmentStarted.create(
    { workspaceId: enrollment.workspaceId, journeyId: enrollment.journeyId, enrollmentId: enrollment.id, contactId: enrollment.contactId, goalEventName },
    { id: `journey-enrollment-${enrollment.id}` },
  );
}
