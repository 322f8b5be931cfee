"use server";

import { refresh } from "next/cache";
import { z } from "zod";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { summariseRelationship } from "@/lib/mailbox/summarise-relationship";
import { type SummariseActionState, summariseMessage } from "../../_lib/summarise-action-state";
import { dashboardContext } from "../../_lib/workspace";

/** The contact page's Summarise button: what POST /api/v1/contacts/{id}/relationship/summary does, audited as the dashboard's. */
export async function summariseRelationshipAction(_previous: SummariseActionState, form: FormData): Promise<SummariseActionState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const contactId = String(form.get("contact") ?? "");
  if (!z.uuid().safeParse(contactId).success) return { ok: false, message: "This contact no longer exists in this workspace." };
  const result = await summariseRelationship(db, { workspaceId: workspace.id, contactId, model: createRecommendationModel(), actor: "dashboard" });
  refresh();
  return summariseMessage(result);
}
