import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { templatePreviewRequest, templatePreviewResponse } from "@/lib/templates/template-preview-request";
import { templateRequest } from "@/lib/templates/template-request";
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
