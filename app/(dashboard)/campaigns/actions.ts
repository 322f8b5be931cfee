"use server";

import { refresh } from "next/cache";
import { sendCampaignEvents } from "@/app/_lib/send-campaign-events";
import { runCampaignAction } from "../_lib/campaign-action";
import type { CampaignActionState } from "../_lib/campaign-action-state";
import { dashboardContext } from "../_lib/workspace";

/**
 * The buttons on /campaigns/[id]. The workspace is the one the page was rendered for (a hidden
 * field), and must still exist: an action never falls back to another workspace.
 */
export async function submitCampaignAction(_previous: CampaignActionState, form: FormData): Promise<CampaignActionState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const state = await runCampaignAction(db, {
    workspaceId: workspace.id,
    campaignId: String(form.get("campaign") ?? ""),
    action: String(form.get("action") ?? ""),
    send: sendCampaignEvents,
  });
  // Done or refused, the campaign is not in the state the page was drawn for: draw it again.
  refresh();
  return state;
}
