import { NextResponse } from "next/server";
import { getJourney, getJourneyVersion, journeyStepCounts } from "@/db/queries/journeys";
import { journeysApi } from "@/lib/api/contracts/journeys";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute<{ id: string; version: string }>(async ({ db, principal, params }) => {
  const parsed = journeysApi.stepCounts.params!.safeParse(params);
  if (!parsed.success) return notFound("Journey version");
  const { id, version } = parsed.data as { id: string; version: number };
  const journey = await getJourney(db, { workspaceId: principal.workspaceId, journeyId: id });
  const row = journey ? await getJourneyVersion(db, { journeyId: journey.id, version }) : undefined;
  if (!row) return notFound("Journey version");
  return NextResponse.json({ version, graph: row.graph, steps: await journeyStepCounts(db, { journeyId: id, version }) });
});
