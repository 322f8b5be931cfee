"use server";

import { refresh } from "next/cache";
import { sendArchiveEvent } from "@/app/_lib/send-archive-event";
import { runArchiveAction } from "../_lib/archive-action";
import type { ArchiveActionState } from "../_lib/archive-action-state";
import { dashboardContext } from "../_lib/workspace";

/** Archive / Restore on /campaigns/[id], in the workspace the page was drawn for (which must still exist). */
export async function submitArchiveAction(_previous: ArchiveActionState, form: FormData): Promise<ArchiveActionState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const state = await runArchiveAction(db, { workspaceId: workspace.id, campaignId: String(form.get("campaign") ?? ""), action: String(form.get("action") ?? ""), send: sendArchiveEvent });
  refresh();
  return state;
}
