import type { Db } from "@/db";
import { type ChannelPlan, insertChannelPlan } from "@/db/queries/channel-plans";
import { getContact } from "@/db/queries/contacts";
import { getTemplate } from "@/db/queries/templates";
import { categoryIssue } from "@/lib/preferences/category-issue";
import { compileTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import type { ChannelPlanRequest } from "./channel-plan-request";

export type PlanRequestOutcome =
  | { ok: true; plan: ChannelPlan; created: boolean }
  | { ok: false; status: 400 | 404; field: string; message: string };

/**
 * Records a channel plan once per (workspace, messageId). Everything a step could refuse for good
 * is checked now (the contact, the category, each step's template and its channel, inline Liquid),
 * so a 400 names the step; what can change later (an address, an opt-out) is decided per step
 * when the plan reaches it.
 */
export async function requestChannelPlan(db: Db, workspaceId: string, request: ChannelPlanRequest): Promise<PlanRequestOutcome> {
  if (!(await getContact(db, { workspaceId, contactId: request.contactId }))) return { ok: false, status: 404, field: "contactId", message: "Contact not found" };
  if (request.category) {
    const issue = await categoryIssue(db, { workspaceId, key: request.category });
    if (issue) return { ok: false, status: 400, field: "category", message: issue };
  }
  for (const [index, step] of request.steps.entries()) {
    if (step.templateId) {
      const template = await getTemplate(db, { workspaceId, templateId: step.templateId });
      if (!template) return { ok: false, status: 404, field: `steps.${index}.templateId`, message: "Template not found" };
      if (template.channel !== step.channel) {
        return { ok: false, status: 400, field: `steps.${index}.templateId`, message: `the template is for ${template.channel}, not ${step.channel}` };
      }
      continue;
    }
    try {
      compileTemplate({ channel: step.channel, subject: step.subject, body: step.body ?? "" });
    } catch (error) {
      if (error instanceof TemplateError) return { ok: false, status: 400, field: `steps.${index}.${error.part}`, message: error.message };
      throw error;
    }
  }
  const { row, created } = await insertChannelPlan(db, {
    workspaceId,
    idempotencyKey: request.messageId,
    contactId: request.contactId,
    category: request.category ?? null,
    data: request.data,
    steps: request.steps.map(({ channel, templateId, subject, body, waitSeconds }) => ({ channel, templateId, subject, body, waitSeconds })),
  });
  return { ok: true, plan: row, created };
}
