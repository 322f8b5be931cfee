import { NextResponse } from "next/server";
import { journeysApi } from "@/lib/api/contracts/journeys";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { versionAbTestsView } from "@/lib/journeys/journey-ab-test-view";

/** The A/B tests of a version's send steps, with their live results and recorded winners. */
export const GET = apiRoute<{ id: string; version: string }>(async ({ db, principal, params }) => {
  const parsed = journeysApi.abTests.params!.safeParse(params);
  if (!parsed.success) return notFound("Journey version");
  const { id, version } = parsed.data as { id: string; version: number };
  const steps = await versionAbTestsView(db, { workspaceId: principal.workspaceId, journeyId: id, version });
  if (!steps) return notFound("Journey version");
  return NextResponse.json({ version, steps });
});
