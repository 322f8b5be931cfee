import { NextResponse } from "next/server";
import { page } from "@/core/pagination/cursor";
import { insertDateAutomation, listDateAutomations } from "@/db/queries/date-automations";
import { dateAutomationsApi } from "@/lib/api/contracts/date-automations";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { dateAutomationIssue } from "@/lib/automations/date-automations";
import { dateAutomationView } from "@/lib/automations/date-automation-view";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, dateAutomationsApi.create.body);
  if (!body.ok) return body.response;
  const issue = await dateAutomationIssue(db, principal.workspaceId, body.data);
  if (issue) return issue.status === 404 ? apiError(404, "not_found", issue.message) : apiError(400, "invalid_request", "The request has invalid fields", { [issue.field]: [issue.message] });
  const automation = await insertDateAutomation(db, { workspaceId: principal.workspaceId, now: new Date(), fromAddress: null, ...body.data });
  await recordApiAction(db, principal, { action: "date_automation.created", targetType: "date_automation", targetId: automation.id });
  logger.info({ workspaceId: principal.workspaceId, automationId: automation.id, dateField: automation.dateField }, "date automations: created");
  return NextResponse.json(dateAutomationView(automation), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, dateAutomationsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listDateAutomations(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(dateAutomationView), nextCursor });
});
