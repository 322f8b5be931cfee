import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/route";
import { contactEventsApi } from "@/lib/api/contracts/events";
import { contactEventResult } from "@/lib/events/contact-event-results";
import { countInvalid, recordAndQueue } from "../record-and-queue";

/** Up to 100 events; one result each, in order. An invalid event refuses the batch (400) before anything is recorded. */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, contactEventsApi.recordBatch.body);
  if (!body.ok) {
    countInvalid();
    return body.response;
  }
  const recorded = await recordAndQueue(db, principal.workspaceId, body.data.events);
  if (!recorded.ok) return recorded.response;
  return NextResponse.json({ data: recorded.outcomes.map(contactEventResult) }, { status: 202 });
});
