import { NextResponse } from "next/server";
import { insertSegment, listSegments } from "@/db/queries/segments";
import { page } from "@/core/pagination/cursor";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { segmentListErrors } from "@/lib/segments/segment-list-errors";
import { segmentsApi } from "@/lib/api/contracts/segments";
import { segmentView } from "@/lib/segments/segment-view";
import { recordApiAction } from "@/lib/api/record-api-action";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, segmentsApi.create.body);
  if (!body.ok) return body.response;
  const listErrors = await segmentListErrors(db, { workspaceId: principal.workspaceId, filter: body.data.filter });
  if (listErrors) return apiError(400, "invalid_request", "The filter names lists that do not exist", listErrors);
  const segment = await insertSegment(db, { workspaceId: principal.workspaceId, ...body.data });
  if (!segment) return apiError(409, "conflict", `A segment named "${body.data.name}" already exists`, { name: ["is taken"] });
  await recordApiAction(db, principal, { action: "segment.created", targetType: "segment", targetId: segment.id });
  return NextResponse.json(segmentView(segment), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, segmentsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listSegments(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(segmentView), nextCursor });
});
