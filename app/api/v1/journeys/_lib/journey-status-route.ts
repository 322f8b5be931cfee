import { NextResponse } from "next/server";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { journeyResumed } from "@/inngest/events";
import { apiError, notFound } from "@/lib/api/responses";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiRoute } from "@/lib/api/route";
import { logger } from "@/lib/observability/logger";
import { journeyView } from "@/lib/journeys/journey-view";
import { changeJourneyStatus, type StatusAction } from "@/lib/journeys/manage-journey";

/**
 * POST /journeys/{id}/pause|resume|archive. Resume and archive wake the runs held at their next
 * step (journey/journey.resumed): they go on, or leave because the journey is archived.
 */
const PAST = { pause: "paused", resume: "resumed", archive: "archived" } as const;

export function journeyStatusRoute(action: StatusAction) {
  return apiRoute<{ id: string }>(async ({ db, principal, params }) => {
    if (!z.uuid().safeParse(params.id).success) return notFound("Journey");
    const journey = await changeJourneyStatus(db, { workspaceId: principal.workspaceId, journeyId: params.id, action, now: new Date() });
    if (journey === undefined) return notFound("Journey");
    if (journey === null) return apiError(409, "conflict", `The journey cannot be ${action === "pause" ? "paused: it is not active" : action === "resume" ? "resumed: it is not paused, or was never published" : "archived: it already is"}`);
    await recordApiAction(db, principal, { action: `journey.${PAST[action]}`, targetType: "journey", targetId: journey.id });
    if (action !== "pause") {
      try {
        await inngest.send(journeyResumed.create({ workspaceId: journey.workspaceId, journeyId: journey.id }));
      } catch (error) {
        // Held runs re-check the journey daily on their own: the change stands.
        logger.warn({ err: error, journeyId: journey.id }, "journeys: could not send the resume event");
      }
    }
    logger.info({ workspaceId: principal.workspaceId, journeyId: journey.id, action }, "journeys: status changed");
    return NextResponse.json(journeyView(journey));
  });
}
