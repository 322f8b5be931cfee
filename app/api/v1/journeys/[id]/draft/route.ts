import { NextResponse } from "next/server";
import { z } from "zod";
import { saveJourneyDraft } from "@/db/queries/journeys";
import { journeysApi } from "@/lib/api/contracts/journeys";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { journeyView } from "@/lib/journeys/journey-view";

/** Saves the draft if nobody saved since `baseRevision`; otherwise 409 with the current revision, so the editor can reload and merge. */
export const PUT = apiRoute<{ id: string }>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Journey");
  const body = await readJson(request, journeysApi.saveDraft.body);
  if (!body.ok) return body.response;
  const saved = await saveJourneyDraft(db, { workspaceId: principal.workspaceId, journeyId: params.id, ...body.data, savedBy: `api_key:${principal.apiKeyId}`, now: new Date() });
  if (!saved) return notFound("Journey");
  if (!saved.ok) {
    const response = apiError(409, "stale_revision", `The draft was saved by someone else since revision ${body.data.baseRevision}: it is now at revision ${saved.currentRevision}. Reload it and apply your change again (or the journey is archived).`);
    const payload = await response.json();
    return NextResponse.json({ ...payload, currentRevision: saved.currentRevision }, { status: 409 });
  }
  return NextResponse.json(journeyView(saved.journey));
});
