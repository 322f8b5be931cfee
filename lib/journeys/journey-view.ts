import type { Journey, JourneyEnrollment, JourneyStepEvent } from "@/db/queries/journeys";

export function journeyView(journey: Journey & { activeEnrollments?: number }) {
  return {
    id: journey.id,
    name: journey.name,
    status: journey.status,
    statusReason: journey.statusReason,
    publishedVersion: journey.publishedVersion,
    draft: journey.draft,
    draftRevision: journey.draftRevision,
    draftSavedAt: journey.draftSavedAt.toISOString(),
    ...(journey.activeEnrollments === undefined ? {} : { activeEnrollments: journey.activeEnrollments }),
    createdAt: journey.createdAt.toISOString(),
    updatedAt: journey.updatedAt.toISOString(),
  };
}

export function enrollmentView(enrollment: JourneyEnrollment) {
  return {
    id: enrollment.id,
    journeyId: enrollment.journeyId,
    version: enrollment.version,
    contactId: enrollment.contactId,
    status: enrollment.status,
    currentStepId: enrollment.currentStepId,
    exitReason: enrollment.exitReason,
    enteredAt: enrollment.enteredAt.toISOString(),
    endedAt: enrollment.endedAt?.toISOString() ?? null,
  };
}

export function stepEventView(event: JourneyStepEvent) {
  return { stepId: event.stepId, type: event.type, detail: event.detail, at: event.at.toISOString() };
}
