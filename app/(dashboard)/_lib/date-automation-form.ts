import type { z } from "zod";
import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { insertDateAutomation } from "@/db/queries/date-automations";
import { fieldIssueMessage } from "@/lib/api/field-issue-message";
import { dateAutomationCreateRequest } from "@/lib/automations/date-automation-request";
import { dateAutomationIssue } from "@/lib/automations/date-automations";
import { setDateAutomationStatus } from "@/lib/automations/set-date-automation-status";

export type DateAutomationFormOutcome = { ok: boolean; message: string };

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join(".") || "form"} ${issue.message}`;
}

/** The send time field (`HH:MM`) as hour and minute; anything else stays as text for the schema to refuse. */
function sendTime(text: string): { sendHour: unknown; sendMinute: unknown } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  return match ? { sendHour: Number(match[1]), sendMinute: Number(match[2]) } : { sendHour: text, sendMinute: 0 };
}

/**
 * The Automations page's create form, checked by the API's own schema and template check
 * (the template's channel is the automation's), and audited as the dashboard's.
 */
export async function createDateAutomationForm(db: Db, params: { workspaceId: string; form: FormData; templateChannel: (id: string) => Promise<string | undefined> }): Promise<DateAutomationFormOutcome> {
  const text = (name: string) => (typeof params.form.get(name) === "string" ? (params.form.get(name) as string) : "");
  const dateField = text("dateField") === "attribute" ? `attribute:${text("attributeKey").trim()}` : text("dateField");
  const templateId = text("templateId");
  const category = text("category").trim();
  const body = dateAutomationCreateRequest.safeParse(
    { name: text("name"), dateField, ...sendTime(text("sendTime")), channel: (await params.templateChannel(templateId)) ?? "email", templateId, category: category === "" ? null : category },
    { error: fieldIssueMessage },
  );
  if (!body.success) return { ok: false, message: `Not created: ${firstProblem(body.error)}.` };
  const issue = await dateAutomationIssue(db, params.workspaceId, body.data);
  if (issue) return { ok: false, message: `Not created: ${issue.field} ${issue.message}.` };
  const automation = await insertDateAutomation(db, { workspaceId: params.workspaceId, now: new Date(), fromAddress: null, ...body.data });
  await insertAuditEntry(db, { workspaceId: params.workspaceId, actor: "dashboard", action: "date_automation.created", targetType: "date_automation", targetId: automation.id });
  return { ok: true, message: `Created ${automation.name}.` };
}

/** Pause or resume from the list; resuming refuses (with the reason) when the template or category went away. */
export async function setDateAutomationStatusForm(db: Db, params: { workspaceId: string; automationId: string; status: "active" | "paused" }): Promise<DateAutomationFormOutcome> {
  const result = await setDateAutomationStatus(db, { ...params, by: "the dashboard", now: new Date() });
  if (!result) return { ok: false, message: "That automation no longer exists." };
  if (!result.ok) return { ok: false, message: `Not resumed: ${result.issue.field} ${result.issue.message}.` };
  await insertAuditEntry(db, { workspaceId: params.workspaceId, actor: "dashboard", action: params.status === "active" ? "date_automation.resumed" : "date_automation.paused", targetType: "date_automation", targetId: params.automationId });
  return { ok: true, message: `${params.status === "active" ? "Resumed" : "Paused"} ${result.automation.name}.` };
}
