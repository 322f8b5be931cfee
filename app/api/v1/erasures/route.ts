import { NextResponse } from "next/server";
import { listErasures } from "@/db/queries/erasures";
import { erasableContactIds } from "@/db/queries/erasures";
import { getSegment, selectSegmentContactIds } from "@/db/queries/segments";
import { page } from "@/core/pagination/cursor";
import { readStoredSegmentFilter } from "@/core/segments/segment-filter";
import { startContactErasure, type Started } from "@/app/_lib/erasures";
import { erasuresApi, MAX_BULK_ERASURE_CONTACTS } from "@/lib/api/contracts/erasures";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { erasureView } from "@/lib/lifecycle/erasure-view";

/** Bulk erasure: the matches of a segment now, or a list of ids; one erasure per contact. */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, erasuresApi.bulk.body);
  if (!body.ok) return body.response;
  const { workspaceId } = principal;
  let contactIds: string[];
  let unknown: string[] = [];
  if (body.data.segmentId) {
    const segment = await getSegment(db, { workspaceId, segmentId: body.data.segmentId });
    if (!segment) return notFound("Segment");
    const stored = readStoredSegmentFilter(segment.filter);
    if (!stored.ok) return apiError(409, "conflict", `The segment's filter cannot be used: ${stored.message}`);
    contactIds = await selectSegmentContactIds(db, { workspaceId, filter: stored.filter, limit: MAX_BULK_ERASURE_CONTACTS + 1 });
    if (contactIds.length > MAX_BULK_ERASURE_CONTACTS) {
      return apiError(400, "invalid_request", "The request has invalid fields", {
        segmentId: [`the segment matches more than ${MAX_BULK_ERASURE_CONTACTS} contacts; erase at most ${MAX_BULK_ERASURE_CONTACTS} per request (a narrower segment, or contactIds)`],
      });
    }
  } else {
    const requested = [...new Set(body.data.contactIds ?? [])];
    const erasable = new Set(await erasableContactIds(db, { workspaceId, contactIds: requested }));
    contactIds = requested.filter((id) => erasable.has(id));
    // Hidden contacts (an erasure already open) still answer their erasure below.
    unknown = requested.filter((id) => !erasable.has(id));
  }
  const results: Started[] = [];
  for (const contactId of [...contactIds, ...unknown]) {
    const started = await startContactErasure(db, { workspaceId, contactId, requestedBy: `api_key:${principal.apiKeyId}` });
    if (!started) continue;
    results.push(started);
    if (started.created) await recordApiAction(db, principal, { action: "contact.erasure_requested", targetType: "contact", targetId: contactId, details: { erasureId: started.erasure.id } });
  }
  const found = new Set(results.map((result) => result.erasure.contactId));
  if (results.some((result) => !result.queued)) return apiError(503, "queue_unavailable", "The erasures are recorded but some could not be queued; retry the same request");
  return NextResponse.json({ data: results.map((result) => erasureView(result.erasure)), unknown: unknown.filter((id) => !found.has(id)) }, { status: 202 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, erasuresApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listErasures(db, { workspaceId: principal.workspaceId, status: query.data.status, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.requestedAt, id: row.id }));
  return NextResponse.json({ data: items.map(erasureView), nextCursor });
});
