import { NextResponse } from "next/server";
import { z } from "zod";
import { page } from "@/core/pagination/cursor";
import { getJourney, getJourneyVersion, listEnrollments } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { enrollmentStartEvent } from "@/inngest/journey-events";
import { journeysApi } from "@/lib/api/contracts/journeys";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { enrollContact } from "@/lib/journeys/enroll-contact";
import { enrollmentView } from "@/lib/journeys/journey-view";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

type Params = { id: string };
const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Journey");
  const query = readQuery(request, journeysApi.enrollments.query);
  if (!query.ok) return query.response;
  if (!(await getJourney(db, { workspaceId: principal.workspaceId, journeyId: params.id }))) return notFound("Journey");
  const rows = await listEnrollments(db, { workspaceId: principal.workspaceId, journeyId: params.id, status: query.data.status, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.enteredAt, id: row.id }));
  return NextResponse.json({ data: items.map(enrollmentView), nextCursor });
});

/** Enrolls a contact by hand in the published version, under the re-entry rule, and starts its run. */
export const POST = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Journey");
  const body = await readJson(request, journeysApi.enroll.body);
  if (!body.ok) return body.response;
  const { workspaceId } = principal;
  const journey = await getJourney(db, { workspaceId, journeyId: params.id });
  if (!journey) return notFound("Journey");
  if (journey.status !== "active" || journey.publishedVersion === null) return apiError(409, "conflict", "Only an active, published journey enrolls contacts");
  const version = await getJourneyVersion(db, { journeyId: journey.id, version: journey.publishedVersion });
  const now = new Date();
  const outcome = await enrollContact(db, {
    workspaceId,
    journeyId: journey.id,
    version: journey.publishedVersion,
    graph: version!.graph,
    contactId: body.data.contactId,
    trigger: { kind: "manual", name: null, properties: body.data.properties, key: `manual-${now.getTime()}` },
    now,
  });
  metrics().journeyEnrollments.inc({ outcome: outcome.outcome });
  if (outcome.outcome === "not_eligible") return notFound("Contact");
  if (outcome.outcome !== "enrolled") {
    return apiError(409, "conflict", outcome.outcome === "already_active" ? "The contact is in this journey now" : "The journey's re-entry rule does not let this contact enter again yet");
  }
  try {
    await inngest.send(enrollmentStartEvent(outcome.enrollment, outcome.goalEventName));
  } catch (error) {
    logger.error({ err: error, workspaceId, enrollmentId: outcome.enrollment.id }, "journeys: could not start the enrollment's run");
    return apiError(503, "queue_unavailable", "The enrollment is recorded but its run could not be started; try again later");
  }
  return NextResponse.json(enrollmentView(outcome.enrollment), { status: 201 });
});
