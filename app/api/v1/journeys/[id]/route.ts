import { NextResponse } from "next/server";
import { z } from "zod";
import { getJourney } from "@/db/queries/journeys";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { journeyView } from "@/lib/journeys/journey-view";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Journey");
  const journey = await getJourney(db, { workspaceId: principal.workspaceId, journeyId: params.id });
  return journey ? NextResponse.json(journeyView(journey)) : notFound("Journey");
});
