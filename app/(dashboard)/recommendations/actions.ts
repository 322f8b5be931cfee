"use server";

import { refresh } from "next/cache";
import { inngest } from "@/inngest/client";
import { recommendationRequestedEvent } from "@/inngest/recommendation-event";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { logger } from "@/lib/observability/logger";
import { askRecommendation, type AskRecommendationState } from "../_lib/ask-recommendation";
import { dashboardContext } from "../_lib/workspace";

/** The Ask buttons of /recommendations and the campaign page, in the workspace the page was drawn for. */
export async function askRecommendationAction(_previous: AskRecommendationState, form: FormData): Promise<AskRecommendationState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const state = await askRecommendation(db, {
    workspaceId: workspace.id,
    kind: String(form.get("kind") ?? ""),
    target: String(form.get("target") ?? ""),
    model: createRecommendationModel(),
    send: async (ids) => {
      try {
        await inngest.send(recommendationRequestedEvent(ids));
      } catch (error) {
        logger.error({ err: error, ...ids }, "recommendations: could not send the request event");
        throw error;
      }
    },
  });
  refresh();
  return state;
}
