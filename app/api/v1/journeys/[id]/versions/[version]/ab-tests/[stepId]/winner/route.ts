import { NextResponse } from "next/server";
import { journeysApi } from "@/lib/api/contracts/journeys";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { pickJourneyAbWinnerNow } from "@/lib/journeys/pick-ab-winner-now";

/** Picks a journey send step's A/B winner now; recorded once (409 when the clock or another pick was first). */
export const POST = apiRoute<{ id: string; version: string; stepId: string }>(async ({ db, principal, params }) => {
  const parsed = journeysApi.pickAbWinner.params!.safeParse(params);
  if (!parsed.success) return notFound("A/B test");
  const { id, version, stepId } = parsed.data as { id: string; version: number; stepId: string };
  const picked = await pickJourneyAbWinnerNow(db, { workspaceId: principal.workspaceId, journeyId: id, version, stepId });
  if (!picked.ok) {
    if (picked.reason === "not found") return notFound("A/B test");
    return apiError(409, "invalid_state", picked.reason === "no sends" ? "Nothing was sent in the A/B test yet" : "The A/B test's winner is already picked");
  }
  await recordApiAction(db, principal, { action: "journey.ab_winner_picked", targetType: "journey", targetId: id, details: { version, stepId, winner: picked.winner } });
  return NextResponse.json(picked.step);
});
