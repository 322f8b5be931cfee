import { NextResponse } from "next/server";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { segmentEnrollmentEvent } from "@/inngest/journey-events";
import { apiError, notFound } from "@/lib/api/responses";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiRoute } from "@/lib/api/route";
import { journeyView } from "@/lib/journeys/journey-view";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Journey");
  const outcome = await publishJourney(db, { workspaceId: principal.workspaceId, journeyId: params.id, publishedBy: `api_key:${principal.apiKeyId}`, now: new Date() });
  if (!outcome.ok) {
    if (outcome.reason === "not_found") return notFound("Journey");
    if (outcome.reason === "archived") return apiError(409, "conflict", "An archived journey cannot be published");
    const response = apiError(400, "invalid_graph", `The journey cannot be published: ${outcome.errors.length} problem(s), each naming its step`);
    return NextResponse.json({ ...(await response.json()), errors: outcome.errors }, { status: 400 });
  }
  if (outcome.segmentTriggered && outcome.journey.status === "active") {
    try {
      await inngest.send(segmentEnrollmentEvent({ workspaceId: principal.workspaceId, journeyId: params.id, version: outcome.version }));
    } catch (error) {
      logger.error({ err: error, journeyId: params.id }, "journeys: could not start the segment's enrollment");
      return apiError(503, "queue_unavailable", "The version is published but its segment could not be enrolled now; publish again to retry");
    }
  }
  await recordApiAction(db, principal, { action: "journey.published", targetType: "journey", targetId: params.id, details: { version: outcome.version } });
  logger.info({ workspaceId: principal.workspaceId, journeyId: params.id, version: outcome.version }, "journeys: published");
  return NextResponse.json({ journey: journeyView(outcome.journey), version: outcome.version });
});
