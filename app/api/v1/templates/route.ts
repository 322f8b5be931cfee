import { NextResponse } from "next/server";
import { insertTemplate, listTemplates } from "@/db/queries/templates";
import { templateView } from "@/lib/templates/template-view";
import { page } from "@/core/pagination/cursor";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { compileTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { templatesApi } from "@/lib/api/contracts/templates";
import { recordApiAction } from "@/lib/api/record-api-action";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, templatesApi.create.body);
  if (!body.ok) return body.response;
  try {
    compileTemplate(body.data);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return apiError(400, "invalid_request", "The template does not parse", { [error.part]: [error.message] });
  }
  const template = await insertTemplate(db, {
    workspaceId: principal.workspaceId,
    channel: body.data.channel,
    name: body.data.name,
    subject: body.data.subject ?? null,
    body: body.data.body,
  });
  if (!template) return apiError(409, "conflict", `A template named "${body.data.name}" already exists`);
  await recordApiAction(db, principal, { action: "template.created", targetType: "template", targetId: template.id });
  return NextResponse.json(templateView(template), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, templatesApi.list.query);
  if (!query.ok) return query.response;
  const after = query.data.cursor;
  const rows = await listTemplates(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(templateView), nextCursor });
});
