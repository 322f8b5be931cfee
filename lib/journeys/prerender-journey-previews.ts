import { z } from "zod";
import { draftSteps } from "@/core/journeys/canvas-graph";
import type { Db } from "@/db";
import { deleteOtherJourneyStepPreviews, type JourneyStepPreview, listJourneyStepPreviews, upsertJourneyStepPreview } from "@/db/queries/journey-step-previews";
import { getTemplate } from "@/db/queries/templates";
import { previewJourneySend } from "./preview-journey-send";

/** A stored preview still shows what the step sends: the same template, unchanged since it was rendered. */
export function previewIsCurrent(stored: Pick<JourneyStepPreview, "templateId" | "templateUpdatedAt"> | undefined, templateId: string, templateUpdatedAt: Date): boolean {
  return !!stored && stored.templateId === templateId && stored.templateUpdatedAt.getTime() === templateUpdatedAt.getTime();
}

/**
 * Renders the preview of each send step of a saved draft whose stored one is missing or out of
 * date, so the canvas opens with them (issue 17). Run after a save has answered (the canvas's
 * save uses next/server `after`): an autosave never waits for rendering. Returns the step ids
 * rendered.
 */
export async function prerenderJourneyPreviews(db: Db, params: { workspaceId: string; journey: { id: string; name: string }; draft: Record<string, unknown>; now: Date }): Promise<string[]> {
  const sends = draftSteps(params.draft).filter((step) => step.type === "send" && z.uuid().safeParse(step.templateId).success);
  const stored = new Map((await listJourneyStepPreviews(db, { journeyId: params.journey.id })).map((row) => [row.stepId, row]));
  const rendered: string[] = [];
  for (const step of sends) {
    const templateId = String(step.templateId);
    const template = await getTemplate(db, { workspaceId: params.workspaceId, templateId });
    if (!template || previewIsCurrent(stored.get(step.id), templateId, template.updatedAt)) continue;
    const outcome = await previewJourneySend(db, { workspaceId: params.workspaceId, journey: params.journey, stepId: step.id, templateId });
    if (!outcome) continue;
    await upsertJourneyStepPreview(db, {
      journeyId: params.journey.id,
      stepId: step.id,
      templateId,
      templateUpdatedAt: template.updatedAt,
      preview: outcome.ok ? outcome.preview : null,
      problem: outcome.ok ? null : `The template cannot render: ${outcome.problems.map((problem) => problem.message).join("; ")}`,
      renderedAt: params.now,
    });
    rendered.push(step.id);
  }
  await deleteOtherJourneyStepPreviews(db, { journeyId: params.journey.id, keepStepIds: sends.map((step) => step.id) });
  return rendered;
}
