import { NextResponse } from "next/server";
import { z } from "zod";
import { getTemplate } from "@/db/queries/templates";
import { templateView } from "@/lib/templates/template-view";
import { templatesApi } from "@/lib/api/contracts/templates";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { reviseTemplate } from "@/lib/templates/revise-template";

type Params = { id: string };

const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  const template = isId(params.id) ? await getTemplate(db, { workspaceId: principal.workspaceId, templateId: params.id }) : undefined;
  return template ? NextResponse.json(templateView(template)) : notFound("Template");
});

export const PATCH = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!isId(params.id)) return notFound("Template");
  const body = await readJson(request, templatesApi.update.body);
  if (!body.ok) return body.response;
  const { version, ...changes } = body.data;
  const outcome = await reviseTemplate(db, { workspaceId: principal.workspaceId, templateId: params.id, changes, expectedVersion: version });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case "not_found":
        return notFound("Template");
      case "conflict":
        return apiError(409, "conflict", `A template named "${changes.name}" already exists`, { name: ["is taken"] });
      case "stale":
        return apiError(409, "stale_version", "The template changed since that version: read it again and make the change on the new version", { version: ["is not the current version"] });
      case "invalid":
        return apiError(400, "invalid_request", "The template does not parse", outcome.fields);
    }
  }
  await recordApiAction(db, principal, { action: "template.updated", targetType: "template", targetId: outcome.template.id, details: { version: outcome.template.version } });
  return NextResponse.json(templateView(outcome.template));
});
