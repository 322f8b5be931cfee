import type { Db } from "@/db";
import { getTemplate } from "@/db/queries/templates";
import { contactFromSample, type PreviewOutcome, previewTemplate } from "@/lib/templates/preview-template";

/** Who the canvas renders a send step for: a made-up contact, so a preview never shows a real person's data. */
export const SAMPLE_JOURNEY_CONTACT = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", phone: "+15555550100", locale: "en", timezone: "Europe/London" };

/**
 * A send step's message as a journey sends it (a notification whose data is the journey and the
 * step, lib/journeys/take-step), rendered with the same strict rules for the sample contact.
 * Undefined: no such template in the workspace.
 */
export async function previewJourneySend(
  db: Db,
  params: { workspaceId: string; journey: { id: string; name: string }; stepId: string; templateId: string },
): Promise<PreviewOutcome | undefined> {
  const template = await getTemplate(db, { workspaceId: params.workspaceId, templateId: params.templateId });
  if (!template) return undefined;
  const data = { journey: { id: params.journey.id, name: params.journey.name, step: params.stepId } };
  return previewTemplate(template, { as: "notification", data }, contactFromSample(SAMPLE_JOURNEY_CONTACT));
}
