"use server";

import { refresh } from "next/cache";
import { type RetentionFormState, submitRetentionForm } from "../_lib/retention-form";
import { dashboardContext } from "../_lib/workspace";

/** The /retention form's buttons (preview, save, enable, confirm), in the workspace the page was drawn for. */
export async function retentionPolicyAction(_previous: RetentionFormState, form: FormData): Promise<RetentionFormState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { kind: "error", message: "That workspace no longer exists: reload the page." };
  const state = await submitRetentionForm(db, { workspaceId: workspace.id, form, now: new Date() });
  refresh();
  return state;
}
