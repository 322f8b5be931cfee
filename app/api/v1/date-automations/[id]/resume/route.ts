import { NextResponse } from "next/server";
import { z } from "zod";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { dateAutomationView } from "@/lib/automations/date-automation-view";
import { setDateAutomationStatus } from "@/lib/automations/set-date-automation-status";

type Params = { id: string };

export const POST = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Automation");
  const result = await setDateAutomationStatus(db, { workspaceId: principal.workspaceId, automationId: params.id, status: "active", by: `api_key:${principal.apiKeyId}`, now: new Date() });
  if (!result) return notFound("Automation");
  if (!result.ok) return result.issue.status === 404 ? apiError(404, "not_found", result.issue.message) : apiError(400, "invalid_request", "The automation cannot resume", { [result.issue.field]: [result.issue.message] });
  await recordApiAction(db, principal, { action: "date_automation.resumed", targetType: "date_automation", targetId: params.id });
  return NextResponse.json(dateAutomationView(result.automation));
});
