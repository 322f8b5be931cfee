import { NextResponse } from "next/server";
import { z } from "zod";
import { getContact } from "@/db/queries/contacts";
import { getTemplate } from "@/db/queries/templates";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { contactFromSample, previewTemplate } from "@/lib/templates/preview-template";
import { templatesApi } from "@/lib/api/contracts/templates";

/**
 * Renders a stored template for one of the workspace's contacts (`contactId`) or for sample
 * `data` / a sample `contact`, with the strict rules of a real send: an unknown variable or
 * filter is a 400 naming it and where (`fields.subject` / `fields.body`). Nothing is stored or sent.
 */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Template");
  const body = await readJson(request, templatesApi.preview.body);
  if (!body.ok) return body.response;
  const { workspaceId } = principal;
  const template = await getTemplate(db, { workspaceId, templateId: params.id });
  if (!template) return notFound("Template");
  let contact;
  if (body.data.contactId) {
    contact = await getContact(db, { workspaceId, contactId: body.data.contactId });
    if (!contact) return notFound("Contact");
  } else if (body.data.contact) {
    contact = contactFromSample(body.data.contact);
  }
  const outcome = await previewTemplate(template, body.data, contact);
  if (!outcome.ok) {
    const fields: Record<string, string[]> = {};
    for (const problem of outcome.problems) (fields[problem.part] ??= []).push(problem.message);
    return apiError(400, "template_error", `The template cannot render: ${outcome.problems[0]!.message}`, fields);
  }
  return NextResponse.json(outcome.preview);
});
