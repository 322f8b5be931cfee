"use server";

import { after } from "next/server";
import { z } from "zod";
import type { JourneyGraphError } from "@/core/journeys/validate-graph";
import { getJourney, getJourneyDraftRevision, listJourneyDraftRevisions } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { segmentEnrollmentEvent } from "@/inngest/journey-events";
import { insertImageIntoTemplate } from "@/lib/assets/insert-image-into-template";
import { type TemplateImage, templateImages } from "@/lib/assets/template-images";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { prerenderJourneyPreviews } from "@/lib/journeys/prerender-journey-previews";
import { previewJourneySend } from "@/lib/journeys/preview-journey-send";
import { saveDraftMerging } from "@/lib/journeys/save-draft-merging";
import { logger } from "@/lib/observability/logger";
import type { TemplatePreview } from "@/lib/templates/template-preview-request";
import { dashboardContext } from "../../../_lib/workspace";

/**
 * What the journey canvas calls (issue 17): save (merging a stale save), reload, history,
 * restore, publish, and a send step's preview. Each checks the workspace and the journey id, as
 * the API does; the dashboard gate in proxy.ts guards them like the pages.
 */

export type CanvasDraft = { revision: number; draft: Record<string, unknown>; savedAt: string; savedBy: string | null };
export type CanvasSaveOutcome =
  | { ok: true; merged: boolean; head: CanvasDraft }
  | { ok: false; message: string; conflicts: { nodeId: string | null; message: string }[]; head: CanvasDraft | null };

const REVISIONS_LISTED = 50;
const ids = z.object({ workspaceId: z.uuid(), journeyId: z.uuid() });

async function scope(input: { workspaceId: string; journeyId: string }) {
  const parsed = ids.safeParse(input);
  if (!parsed.success) return null;
  const { db, workspaces } = await dashboardContext();
  if (!workspaces.some((workspace) => workspace.id === parsed.data.workspaceId)) return null;
  const journey = await getJourney(db, parsed.data);
  return journey ? { db, journey, workspaceId: parsed.data.workspaceId } : null;
}

function head(journey: { draftRevision: number; draft: Record<string, unknown>; draftSavedAt: Date; draftSavedBy: string | null }): CanvasDraft {
  return { revision: journey.draftRevision, draft: journey.draft, savedAt: journey.draftSavedAt.toISOString(), savedBy: journey.draftSavedBy };
}

/** The current draft: what a page loads when another editor's save arrives on the live stream. */
export async function loadCanvasDraft(input: { workspaceId: string; journeyId: string }): Promise<CanvasDraft | null> {
  const found = await scope(input);
  return found ? head(found.journey) : null;
}

/** Autosave. `editor` names the page (a tab), so the history and the live stream say who saved. */
export async function saveCanvasDraft(input: { workspaceId: string; journeyId: string; baseRevision: number; draft: Record<string, unknown>; editor: string; restoring?: boolean }): Promise<CanvasSaveOutcome> {
  const found = await scope(input);
  if (!found) return { ok: false, message: "No such journey: reload the page.", conflicts: [], head: null };
  if (!z.int().nonnegative().safeParse(input.baseRevision).success || !input.draft || typeof input.draft !== "object" || Array.isArray(input.draft)) {
    return { ok: false, message: "The draft could not be read: reload the page.", conflicts: [], head: head(found.journey) };
  }
  const savedBy = `dashboard:${String(input.editor).slice(0, 40)}`;
  const outcome = await saveDraftMerging(found.db, { workspaceId: found.workspaceId, journeyId: found.journey.id, baseRevision: input.baseRevision, draft: input.draft, savedBy, now: new Date(), kind: input.restoring ? "restore" : "save" });
  if (outcome.ok) {
    const { db, workspaceId } = found;
    const journey = outcome.journey;
    // Once the save has answered: the canvas opens with each send step's preview already rendered.
    after(() =>
      prerenderJourneyPreviews(db, { workspaceId, journey, draft: journey.draft, now: new Date() }).catch((error: unknown) =>
        logger.warn({ err: error, journeyId: journey.id }, "journeys: could not pre-render the send steps' previews"),
      ),
    );
    return { ok: true, merged: outcome.merged, head: head(journey) };
  }
  switch (outcome.reason) {
    case "not_found":
      return { ok: false, message: "No such journey: reload the page.", conflicts: [], head: null };
    case "archived":
      return { ok: false, message: "The journey is archived: its draft can no longer change.", conflicts: [], head: head(found.journey) };
    case "conflict":
      return {
        ok: false,
        message: `Not saved: someone else changed the same thing since you loaded it — ${outcome.conflicts.map((conflict) => conflict.message).join("; ")}. Reload their version, then make your change again.`,
        conflicts: outcome.conflicts.map(({ nodeId, message }) => ({ nodeId, message })),
        head: head(outcome.journey),
      };
    case "stale":
      return { ok: false, message: "Not saved: the draft changed in the meantime. Reload it, then make your change again.", conflicts: [], head: head(outcome.journey) };
  }
}

export type CanvasRevision = { revision: number; savedAt: string; savedBy: string | null; kind: string };

export async function listCanvasRevisions(input: { workspaceId: string; journeyId: string }): Promise<CanvasRevision[]> {
  const found = await scope(input);
  if (!found) return [];
  const rows = await listJourneyDraftRevisions(found.db, { journeyId: found.journey.id, limit: REVISIONS_LISTED });
  return rows.map((row) => ({ revision: row.revision, savedAt: row.savedAt.toISOString(), savedBy: row.savedBy, kind: row.kind }));
}

/** One revision's draft, which the canvas restores by saving it again (a new revision: history only grows). */
export async function loadCanvasRevision(input: { workspaceId: string; journeyId: string; revision: number }): Promise<Record<string, unknown> | null> {
  const found = await scope(input);
  if (!found || !z.int().nonnegative().safeParse(input.revision).success) return null;
  return (await getJourneyDraftRevision(found.db, { journeyId: found.journey.id, revision: input.revision }))?.draft ?? null;
}

export type CanvasPublishOutcome = { ok: true; message: string } | { ok: false; message: string; errors: JourneyGraphError[] };

/** Publishes the saved draft, with the checks the API makes (templates and lists included). */
export async function publishCanvasDraft(input: { workspaceId: string; journeyId: string }): Promise<CanvasPublishOutcome> {
  const found = await scope(input);
  if (!found) return { ok: false, message: "No such journey.", errors: [] };
  const { workspaceId, journey } = { workspaceId: found.workspaceId, journey: found.journey };
  const outcome = await publishJourney(found.db, { workspaceId, journeyId: journey.id, publishedBy: "dashboard", now: new Date() });
  if (!outcome.ok) {
    if (outcome.reason === "invalid") return { ok: false, message: "Not published: fix the problems listed.", errors: outcome.errors };
    return { ok: false, message: outcome.reason === "archived" ? "An archived journey cannot be published." : "No such journey.", errors: [] };
  }
  if (outcome.segmentTriggered && outcome.journey.status === "active") {
    try {
      await inngest.send(segmentEnrollmentEvent({ workspaceId, journeyId: journey.id, version: outcome.version }));
    } catch (error) {
      logger.error({ err: error, journeyId: journey.id }, "journeys: could not start the segment's enrollment");
      return { ok: false, message: `Published version ${outcome.version}, but its segment could not be enrolled now: publish again to retry.`, errors: [] };
    }
  }
  return { ok: true, message: `Published version ${outcome.version}: new enrollments take it; running ones stay on theirs.` };
}

export type CanvasPreview = { ok: true; preview: TemplatePreview } | { ok: false; message: string };

/** A send step's message for the sample contact (lib/journeys/preview-journey-send). */
export async function previewCanvasSend(input: { workspaceId: string; journeyId: string; stepId: string; templateId: string }): Promise<CanvasPreview> {
  const found = await scope(input);
  if (!found) return { ok: false, message: "No such journey." };
  if (!z.uuid().safeParse(input.templateId).success) return { ok: false, message: "Choose a template." };
  const outcome = await previewJourneySend(found.db, { workspaceId: found.workspaceId, journey: found.journey, stepId: String(input.stepId), templateId: input.templateId });
  if (!outcome) return { ok: false, message: "No such template in this workspace." };
  if (!outcome.ok) return { ok: false, message: `The template cannot render: ${outcome.problems.map((problem) => problem.message).join("; ")}` };
  return { ok: true, preview: outcome.preview };
}

/** Recent uploads listed beside an email step besides the template's own images. */
const RECENT_IMAGES_LISTED = 12;

/** An email step's images: those its template shows, then the workspace's recent uploads. */
export async function listCanvasImages(input: { workspaceId: string; journeyId: string; templateId: string }): Promise<TemplateImage[]> {
  const found = await scope(input);
  if (!found || !z.uuid().safeParse(input.templateId).success) return [];
  return templateImages(found.db, { workspaceId: found.workspaceId, templateId: input.templateId, recent: RECENT_IMAGES_LISTED });
}

/**
 * "Insert into template": the image's <img> added to the template through the template update
 * path (its checks, a new version), then the step's preview rendered again for the panel and
 * the journey's stored previews brought up to date once the answer is out.
 */
export async function insertCanvasImage(input: { workspaceId: string; journeyId: string; stepId: string; templateId: string; assetId: string; alt: string }): Promise<CanvasPreview> {
  const found = await scope(input);
  if (!found) return { ok: false, message: "No such journey." };
  if (!z.uuid().safeParse(input.templateId).success || !z.uuid().safeParse(input.assetId).success) return { ok: false, message: "Choose a template and an image." };
  const { db, workspaceId, journey } = found;
  const outcome = await insertImageIntoTemplate(db, { workspaceId, templateId: input.templateId, assetId: input.assetId, alt: String(input.alt ?? "") });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case "not_found":
        return { ok: false, message: "No such template in this workspace." };
      case "no_asset":
        return { ok: false, message: "The image was deleted: upload it again." };
      case "not_email":
        return { ok: false, message: "Images go into email templates only." };
      case "stale":
        return { ok: false, message: "The template changed at the same moment: insert the image again." };
      case "conflict":
      case "invalid":
        return { ok: false, message: "The template could not take the image: check it on the templates API." };
    }
  }
  after(() =>
    prerenderJourneyPreviews(db, { workspaceId, journey, draft: journey.draft, now: new Date() }).catch((error: unknown) =>
      logger.warn({ err: error, journeyId: journey.id }, "journeys: could not pre-render the send steps' previews"),
    ),
  );
  return previewCanvasSend({ workspaceId, journeyId: journey.id, stepId: String(input.stepId), templateId: input.templateId });
}
