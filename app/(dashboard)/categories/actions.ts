"use server";

import { redirect } from "next/navigation";
import { deleteCategoryForm, saveCategoryForm } from "../_lib/category-form";
import { href } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

/**
 * The Categories page's forms. Each redirects back to the page with the outcome in the address
 * (post/redirect/get), so they work without JavaScript and a reload never submits twice. The
 * workspace is the one the page was drawn for and must still exist.
 */
async function run(form: FormData, work: (workspaceId: string) => Promise<{ ok: boolean; message: string }>, edit?: string): Promise<never> {
  const { workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  const outcome = workspace ? await work(workspace.id) : { ok: false, message: "That workspace no longer exists: reload the page." };
  redirect(href("/categories", { workspace: workspace?.id, [outcome.ok ? "notice" : "problem"]: outcome.message, edit: outcome.ok ? undefined : edit }));
}

export async function createCategoryAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, (workspaceId) => saveCategoryForm(db, { workspaceId, form }));
}

export async function updateCategoryAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  const key = String(form.get("key") ?? "");
  return run(form, (workspaceId) => saveCategoryForm(db, { workspaceId, form, editKey: key }), key);
}

export async function deleteCategoryAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, (workspaceId) => deleteCategoryForm(db, { workspaceId, key: String(form.get("key") ?? "") }));
}
