"use server";

import { redirect } from "next/navigation";
import { inngest } from "@/inngest/client";
import { journeyResumed } from "@/inngest/events";
import { segmentEnrollmentEvent } from "@/inngest/journey-events";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { changeJourneyStatus, publishJourney } from "@/lib/journeys/manage-journey";
import { pickJourneyAbWinnerNow } from "@/lib/journeys/pick-ab-winner-now";
import { logger } from "@/lib/observability/logger";
import { href } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

/**
 * The journey page's buttons, post/redirect/get like the Delivery rules page: the outcome in the
 * address, so they work without JavaScript and a reload never submits twice.
 */
async function run(form: FormData, work: (workspaceId: string, journeyId: string) => Promise<{ ok: boolean; message: string }>): Promise<never> {
  const { workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  const journeyId = String(form.get("journey") ?? "");
  const outcome = workspace ? await work(workspace.id, journeyId) : { ok: false, message: "That workspace no longer exists: reload the page." };
  redirect(href(`/journeys/${journeyId}`, { workspace: workspace?.id, [outcome.ok ? "notice" : "problem"]: outcome.message }));
}

export async function publishJourneyAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, async (workspaceId, journeyId) => {
    const outcome = await publishJourney(db, { workspaceId, journeyId, publishedBy: "dashboard", now: new Date() });
    if (outcome.ok && outcome.segmentTriggered && outcome.journey.status === "active") {
      try {
        await inngest.send(segmentEnrollmentEvent({ workspaceId, journeyId, version: outcome.version }));
      } catch (error) {
        logger.error({ err: error, journeyId }, "journeys: could not start the segment's enrollment");
        return { ok: false, message: `Published version ${outcome.version}, but its segment could not be enrolled now: publish again to retry.` };
      }
    }
    if (outcome.ok) return { ok: true, message: `Published version ${outcome.version}: new enrollments take it; running ones stay on theirs.` };
    if (outcome.reason === "invalid") return { ok: false, message: `Not published: ${outcome.errors.map((error) => `${error.nodeId ?? "journey"}: ${error.message}`).join("; ")}` };
    return { ok: false, message: outcome.reason === "archived" ? "An archived journey cannot be published." : "No such journey." };
  });
}

async function changeStatus(form: FormData, action: "pause" | "resume"): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, async (workspaceId, journeyId) => {
    const journey = await changeJourneyStatus(db, { workspaceId, journeyId, action, now: new Date() });
    if (!journey) return { ok: false, message: action === "pause" ? "Only an active journey can be paused." : "Only a paused, published journey can be resumed." };
    if (action === "resume") {
      try {
        await inngest.send(journeyResumed.create({ workspaceId, journeyId }));
      } catch (error) {
        logger.warn({ err: error, journeyId }, "journeys: could not send the resume event; held runs re-check daily");
      }
    }
    return { ok: true, message: action === "pause" ? "Paused: no one enters, and running enrollments wait at their next step." : "Resumed." };
  });
}

export async function pauseJourneyAction(form: FormData): Promise<never> {
  return changeStatus(form, "pause");
}

export async function resumeJourneyAction(form: FormData): Promise<never> {
  return changeStatus(form, "resume");
}

const AB_REFUSALS = {
  "not found": "That step has no A/B test in this version.",
  "no sends": "Nothing was sent in the test yet: there is no rate to pick by.",
  "already decided": "The winner is already picked.",
} as const;

/** "Pick winner now" on an A/B send step: the variant ahead now wins (once), and every later enrollment gets it. */
export async function pickJourneyAbWinnerAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, async (workspaceId, journeyId) => {
    const version = Number(form.get("version"));
    const stepId = String(form.get("step") ?? "");
    if (!Number.isInteger(version) || version < 1) return { ok: false, message: AB_REFUSALS["not found"] };
    const picked = await pickJourneyAbWinnerNow(db, { workspaceId, journeyId, version, stepId });
    if (!picked.ok) return { ok: false, message: AB_REFUSALS[picked.reason] };
    await insertAuditEntry(db, { workspaceId, actor: "dashboard", action: "journey.ab_winner_picked", targetType: "journey", targetId: journeyId, details: { version, stepId, winner: picked.winner } });
    return { ok: true, message: `Variant ${picked.winner} is the winner of step ${stepId}: every enrollment reaching it from now on gets it.` };
  });
}
