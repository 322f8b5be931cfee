import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { templatePreviewRequest, templatePreviewResponse } from "@/lib/templates/template-preview-request";
import { templateRequest } from "@/lib/templates/template-request";
import { templateUpdateRequest } from "@/lib/templates/template-update-request";
import { idParams, paged, timestamp } from "./common";

const tag = "Templates";

export const templateSchema = z
  .object({
    id: z.uuid(),
    channel: z.enum(CHANNELS),
    name: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Template" });

export const templatesApi = {
  create: apiOperation({
    method: "post",
    path: "/templates",
    tag,
    summary: "Store a Liquid template (email: subject + HTML body; SMS: body)",
    body: templateRequest,
    responses: { 201: { description: "The stored template", schema: templateSchema } },
    errors: { 409: "A template with this name already exists" },
  }),
  list: apiOperation({
    method: "get",
    path: "/templates",
    tag,
    summary: "List templates, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of templates", schema: paged(templateSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/templates/{id}",
    tag,
    summary: "One template",
    params: idParams("template"),
    responses: { 200: { description: "The template", schema: templateSchema } },
    errors: { 404: "No such template in this workspace" },
  }),
  update: apiOperation({
    method: "patch",
    path: "/templates/{id}",
    tag,
    summary: "Change a template's name, subject or body",
    description:
      "The changed template is checked as a new one is (the channel's subject rule, Liquid syntax and filters; a problem is a 400 naming `subject` or `body`) before it is stored; each change moves `version` on by one. Pass the `version` you edited to be told (409) when someone changed it since.",
    params: idParams("template"),
    body: templateUpdateRequest,
    responses: { 200: { description: "The changed template", schema: templateSchema } },
    errors: { 404: "No such template in this workspace", 409: "The name is taken (`conflict`), or the template has moved past `version` (`stale_version`)" },
  }),
  preview: apiOperation({
    method: "post",
    path: "/templates/{id}/preview",
    tag,
    summary: "Render a stored template without sending it",
    description:
      "For one of the workspace's contacts (`contactId`) or a sample `contact` (`first_name`, …, `attributes`) as a campaign message sees it, or for `data` (and a `contact`) as a notification does; `as` chooses. An unknown variable or filter is a `400 template_error` naming it and where (`fields.subject`, `fields.body`).",
    params: idParams("template"),
    body: templatePreviewRequest,
    responses: { 200: { description: "What the message would be", schema: templatePreviewResponse } },
    errors: { 404: "No such template (or contact) in this workspace" },
  }),
};
