import { NextResponse } from "next/server";
import { z } from "zod";
import { deleteDateAutomation, getDateAutomation, updateDateAutomation } from "@/db/queries/date-automations";
import { dateAutomationsApi } from "@/lib/api/contracts/date-automations";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { dateAutomationIssue } from "@/lib/automations/date-automations";
import { dateAutomationView } from "@/lib/automations/date-automation-view";

type Params = { id: string };
const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("Automation");
  const automation = await getDateAutomation(db, { workspaceId: principal.workspaceId, automationId: params.id });
  return automation ? NextResponse.json(dateAutomationView(automation)) : notFound("Automation");
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Automation");
  const body = await readJson(request, dateAutomationsApi.update.body);
  if (!body.ok) return body.response;
  const current = await getDateAutomation(db, { workspaceId: principal.workspaceId, automationId: params.id });
  if (!current) return notFound("Automation");
  if (body.data.channel !== undefined || body.data.templateId !== undefined || body.data.category !== undefined) {
    const merged = { channel: body.data.channel ?? current.channel, templateId: body.data.templateId ?? current.templateId, category: body.data.category === undefined ? current.category : body.data.category };
    const issue = await dateAutomationIssue(db, principal.workspaceId, merged);
    if (issue) return issue.status === 404 ? apiError(404, "not_found", issue.message) : apiError(400, "invalid_request", "The request has invalid fields", { [issue.field]: [issue.message] });
  }
  const automation = await updateDateAutomation(db, { workspaceId: principal.workspaceId, automationId: params.id, now: new Date(), changes: body.data });
  if (!automation) return notFound("Automation");
  await recordApiAction(db, principal, { action: "date_automation.updated", targetType: "date_automation", targetId: automation.id });
  return NextResponse.json(dateAutomationView(automation));
});

export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id) || !(await deleteDateAutomation(db, { workspaceId: principal.workspaceId, automationId: params.id }))) return notFound("Automation");
  await recordApiAction(db, principal, { action: "date_automation.deleted", targetType: "date_automation", targetId: params.id });
  return new Response(null, { status: 204 });
});
