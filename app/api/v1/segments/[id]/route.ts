import { NextResponse } from "next/server";
import { z } from "zod";
import { deleteSegment, getSegment, updateSegment } from "@/db/queries/segments";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { segmentListErrors } from "@/lib/segments/segment-list-errors";
import { segmentsApi } from "@/lib/api/contracts/segments";
import { segmentView } from "@/lib/segments/segment-view";
import { recordApiAction } from "@/lib/api/record-api-action";

type Params = { id: string };

const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("Segment");
  const segment = await getSegment(db, { workspaceId: principal.workspaceId, segmentId: params.id });
  return segment ? NextResponse.json(segmentView(segment)) : notFound("Segment");
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Segment");
  const body = await readJson(request, segmentsApi.update.body);
  if (!body.ok) return body.response;
  if (body.data.filter) {
    const listErrors = await segmentListErrors(db, { workspaceId: principal.workspaceId, filter: body.data.filter });
    if (listErrors) return apiError(400, "invalid_request", "The filter names lists that do not exist", listErrors);
  }
  const segment = await updateSegment(db, { workspaceId: principal.workspaceId, segmentId: params.id, ...body.data });
  if (segment === "conflict") return apiError(409, "conflict", `A segment named "${body.data.name}" already exists`, { name: ["is taken"] });
  return segment ? NextResponse.json(segmentView(segment)) : notFound("Segment");
});

export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id) || !(await deleteSegment(db, { workspaceId: principal.workspaceId, segmentId: params.id }))) return notFound("Segment");
  await recordApiAction(db, principal, { action: "segment.deleted", targetType: "segment", targetId: params.id });
  return new Response(null, { status: 204 });
});
