import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { listJourneyStepPreviews } from "@/db/queries/journey-step-previews";
import { getJourney } from "@/db/queries/journeys";
import { listLists } from "@/db/queries/lists";
import { listTemplates } from "@/db/queries/templates";
import { isProductionServer } from "@/lib/config/production-problems";
import { previewIsCurrent } from "@/lib/journeys/prerender-journey-previews";
import type { TemplatePreview } from "@/lib/templates/template-preview-request";
import { NoWorkspace, PageHeader } from "../../../_components/ui";
import { href, param, type SearchParams } from "../../../_lib/search-params";
import { dashboardContext } from "../../../_lib/workspace";
import { JourneyCanvas } from "./journey-canvas";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Edit journey" };

/** The pickers list this many; a workspace with more still validates and publishes them by id. */
const CHOICES_LISTED = 200;

/**
 * The journey canvas (issue 17): the draft as a graph to edit, autosaved, validated before
 * publishing, shared live with anyone else editing it. Only this route loads React Flow.
 */
export default async function EditJourneyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Edit journey" />
        <NoWorkspace />
      </>
    );
  }
  if (!z.uuid().safeParse(id).success) notFound();
  const journey = await getJourney(db, { workspaceId: workspace.id, journeyId: id });
  if (!journey) notFound();
  const [templates, lists, stored] = await Promise.all([
    listTemplates(db, { workspaceId: workspace.id, limit: CHOICES_LISTED }),
    listLists(db, { workspaceId: workspace.id, limit: CHOICES_LISTED }),
    listJourneyStepPreviews(db, { journeyId: journey.id }),
  ]);
  // Previews rendered when the draft was saved, while their template is unchanged: shown at once.
  const templateVersions = new Map(templates.map((template) => [template.id, template.updatedAt]));
  const previews = Object.fromEntries(
    stored
      .filter((row) => templateVersions.has(row.templateId) && previewIsCurrent(row, row.templateId, templateVersions.get(row.templateId)!))
      .map((row) => [row.stepId, { templateId: row.templateId, preview: row.preview as TemplatePreview | null, problem: row.problem }]),
  );

  return (
    <>
      <PageHeader title={`Edit ${journey.name}`} subtitle={<Link href={href(`/journeys/${journey.id}`, { workspace: workspace.id })}>Back to the journey’s steps and counts</Link>} />
      <JourneyCanvas
        workspaceId={workspace.id}
        journeyId={journey.id}
        archived={journey.status === "archived"}
        allowHttpWebhooks={!isProductionServer()}
        initial={{ revision: journey.draftRevision, draft: journey.draft, savedAt: journey.draftSavedAt.toISOString(), savedBy: journey.draftSavedBy }}
        templates={templates.map((template) => ({ id: template.id, name: template.name, channel: template.channel }))}
        lists={lists.map((list) => ({ id: list.id, name: list.name }))}
        previews={previews}
      />
    </>
  );
}
