import { NextResponse } from "next/server";
import { z } from "zod";
import { getEnrollment, listStepEvents } from "@/db/queries/journeys";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { enrollmentView, stepEventView } from "@/lib/journeys/journey-view";

export const GET = apiRoute<{ id: string; enrollmentId: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success || !z.uuid().safeParse(params.enrollmentId).success) return notFound("Enrollment");
  const enrollment = await getEnrollment(db, { workspaceId: principal.workspaceId, enrollmentId: params.enrollmentId });
  if (!enrollment || enrollment.journeyId !== params.id) return notFound("Enrollment");
  const timeline = await listStepEvents(db, { enrollmentId: enrollment.id });
  return NextResponse.json({ ...enrollmentView(enrollment), timeline: timeline.map(stepEventView) });
});
