import { journeyGraph, type JourneyGraph } from "@/core/journeys/graph";
import type { Db } from "@/db";
import { endEnrollment, getEnrollment, getJourneyVersion, insertStepEvents } from "@/db/queries/journeys";

/**
 * The published version an active enrollment entered on (never the draft, never a later
 * version): what its run walks from start to end.
 */
export async function loadEnrollmentRun(db: Db, params: { workspaceId: string; enrollmentId: string }): Promise<{ journeyId: string; version: number; graph: JourneyGraph } | null> {
  const enrollment = await getEnrollment(db, params);
  if (!enrollment || enrollment.status !== "active") return null;
  const version = await getJourneyVersion(db, { journeyId: enrollment.journeyId, version: enrollment.version });
  if (!version) return null;
  return { journeyId: enrollment.journeyId, version: enrollment.version, graph: journeyGraph.parse(version.graph) };
}

/** Ends an enrollment its run cannot finish (it failed, or hit the step limit), with the reason on the timeline. */
export async function failEnrollment(db: Db, params: { workspaceId: string; enrollmentId: string; status: "failed" | "exited"; reason: string; now: Date }): Promise<boolean> {
  const enrollment = await getEnrollment(db, params);
  if (!enrollment) return false;
  if (!(await endEnrollment(db, { enrollmentId: enrollment.id, status: params.status, reason: params.reason, now: params.now }))) return false;
  await insertStepEvents(db, { enrollment, events: [{ stepId: enrollment.currentStepId ?? "start", type: "exited", detail: { reason: params.reason } }], now: params.now });
  return true;
}
