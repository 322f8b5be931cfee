import type { Db } from "@/db";
import { settleJourneyAbTest } from "./settle-journey-ab-test";
import { type JourneyAbStepView, versionAbTestsView } from "./journey-ab-test-view";

export type PickNowOutcome = { ok: true; step: JourneyAbStepView; winner: string } | { ok: false; reason: "not found" | "no sends" | "already decided" };

/**
 * A person's "pick winner now" for a journey's A/B send step (the API and the dashboard): the
 * best rate in the sample so far, recorded once — when the clock or another click recorded one
 * first, "already decided". Nothing to send afterwards: the winner takes effect as each later
 * enrollment reaches the step.
 */
export async function pickJourneyAbWinnerNow(db: Db, params: { workspaceId: string; journeyId: string; version: number; stepId: string }, now: Date = new Date()): Promise<PickNowOutcome> {
  const before = await versionAbTestsView(db, params);
  const step = before?.find((view) => view.stepId === params.stepId);
  if (!step) return { ok: false, reason: "not found" };
  if (step.state === "not_started") return { ok: false, reason: "no sends" };
  const settled = await settleJourneyAbTest(db, { workspaceId: params.workspaceId, journeyId: params.journeyId, version: params.version, nodeId: params.stepId }, "manual", now);
  if (!settled.ok) return { ok: false, reason: settled.reason === "no sends" ? "no sends" : "not found" };
  if (!settled.recordedNow) return { ok: false, reason: "already decided" };
  const after = (await versionAbTestsView(db, params))!.find((view) => view.stepId === params.stepId)!;
  return { ok: true, step: after, winner: after.winner!.variant };
}
