import { NextResponse } from "next/server";
import { page } from "@/core/pagination/cursor";
import { emptyJourneyGraph } from "@/core/journeys/graph";
import { insertJourney, listJourneys } from "@/db/queries/journeys";
import { journeysApi } from "@/lib/api/contracts/journeys";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { journeyView } from "@/lib/journeys/journey-view";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, journeysApi.create.body);
  if (!body.ok) return body.response;
  const journey = await insertJourney(db, {
    workspaceId: principal.workspaceId,
    name: body.data.name,
    draft: body.data.draft ?? emptyJourneyGraph(),
    savedBy: `api_key:${principal.apiKeyId}`,
    now: new Date(),
  });
  await recordApiAction(db, principal, { action: "journey.created", targetType: "journey", targetId: journey.id });
  return NextResponse.json(journeyView(journey), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, journeysApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listJourneys(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(journeyView), nextCursor });
});
