import { NextResponse } from "next/server";
import { listContactEvents } from "@/db/queries/contact-events";
import { encodeEventCursor } from "@/core/events/contact-event-names";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { contactEventsApi } from "@/lib/api/contracts/events";
import { contactEventView } from "@/lib/events/contact-event-view";
import { countInvalid, recordAndQueue } from "./record-and-queue";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, contactEventsApi.record.body);
  if (!body.ok) {
    countInvalid();
    return body.response;
  }
  const recorded = await recordAndQueue(db, principal.workspaceId, [body.data]);
  if (!recorded.ok) return recorded.response;
  const [outcome] = recorded.outcomes;
  if (!outcome!.ok) return apiError(404, "not_found", outcome!.message);
  return NextResponse.json({ duplicate: !outcome!.created, event: contactEventView(outcome!.event) }, { status: 202 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, contactEventsApi.list.query);
  if (!query.ok) return query.response;
  const { contactId, name, limit, cursor } = query.data;
  const rows = await listContactEvents(db, { workspaceId: principal.workspaceId, contactId, name, limit: limit + 1, beforeSeq: cursor });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return NextResponse.json({ data: items.map(contactEventView), nextCursor: rows.length > limit && last ? encodeEventCursor(last.id) : null });
});
