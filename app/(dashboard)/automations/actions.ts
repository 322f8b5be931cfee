"use server";

import { redirect } from "next/navigation";
import { getTemplate } from "@/db/queries/templates";
import { createDateAutomationForm, setDateAutomationStatusForm } from "../_lib/date-automation-form";
import { href } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

/**
 * The Automations page's forms: post/redirect/get with the outcome in the address, so they work
 * without JavaScript and a reload never submits twice. The workspace must still exist.
 */
async function run(form: FormData, work: (workspaceId: string) => Promise<{ ok: boolean; message: string }>): Promise<never> {
  const { workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  const outcome = workspace ? await work(workspace.id) : { ok: false, message: "That workspace no longer exists: reload the page." };
  redirect(href("/automations", { workspace: workspace?.id, [outcome.ok ? "notice" : "problem"]: outcome.message }));
}

export async function createDateAutomationAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, (workspaceId) =>
    createDateAutomationForm(db, { workspaceId, form, templateChannel: async (id) => (/^[0-9a-f-]{36}$/i.test(id) ? (await getTemplate(db, { workspaceId, templateId: id }))?.channel : undefined) }),
  );
}

export async function pauseDateAutomationAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, (workspaceId) => setDateAutomationStatusForm(db, { workspaceId, automationId: String(form.get("id") ?? ""), status: "paused" }));
}

export async function resumeDateAutomationAction(form: FormData): Promise<never> {
  const { db } = await dashboardContext();
  return run(form, (workspaceId) => setDateAutomationStatusForm(db, { workspaceId, automationId: String(form.get("id") ?? ""), status: "active" }));
}
