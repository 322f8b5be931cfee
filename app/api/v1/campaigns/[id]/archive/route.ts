import { NextResponse } from "next/server";
import { z } from "zod";
import { sendArchiveEvent } from "@/app/_lib/send-archive-event";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { archiveView } from "@/lib/archives/archive-view";
import { requestArchive } from "@/lib/archives/request-archive";

/** POST /api/v1/campaigns/:id/archive: 202 with the archive, worked on in the background. */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const outcome = await requestArchive(db, { workspaceId: principal.workspaceId, campaignId: params.id, requestedBy: `api_key:${principal.apiKeyId}`, now: new Date() });
  if (!outcome.ok) return outcome.status === 404 ? apiError(404, "not_found", outcome.message) : apiError(409, outcome.code, outcome.message);
  if (!(await sendArchiveEvent("archive", outcome.event))) return apiError(503, "queue_unavailable", "The archive is recorded but could not be queued; it is picked up again by the nightly plan, or retry");
  return NextResponse.json(archiveView(outcome.archive), { status: 202 });
});
