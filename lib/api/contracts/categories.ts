import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { apiOperation } from "@/lib/api/api-operation";
import { categoryCreateRequest, categoryKey, categoryPatchRequest } from "@/lib/preferences/category-request";
import { timestamp } from "./common";

const tag = "Categories";

export const categorySchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    required: z.boolean().meta({ description: "No contact can opt out of it (security mail)" }),
    urgent: z.boolean().meta({ description: "Goes out at once, through quiet hours" }),
    channelDefaults: z.partialRecord(z.enum(CHANNELS), z.boolean()).meta({ description: "The workspace default per channel; a channel left out is on" }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Category" });

const keyParams = z.object({ key: categoryKey.meta({ description: "The category's key; any key the workspace lacks answers 404" }) });

export const categoriesApi = {
  create: apiOperation({
    method: "post",
    path: "/categories",
    tag,
    summary: "Create a category (topic) contacts choose per channel",
    body: categoryCreateRequest,
    responses: { 201: { description: "The new category", schema: categorySchema } },
    errors: { 409: "The workspace already has a category with this key" },
  }),
  list: apiOperation({
    method: "get",
    path: "/categories",
    tag,
    summary: "Every category of the workspace, oldest first",
    responses: { 200: { description: "The categories", schema: z.object({ data: z.array(categorySchema) }) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/categories/{key}",
    tag,
    summary: "One category",
    params: keyParams,
    responses: { 200: { description: "The category", schema: categorySchema } },
    errors: { 404: "No such category in this workspace" },
  }),
  update: apiOperation({
    method: "patch",
    path: "/categories/{key}",
    tag,
    summary: "Change a category's name, description, required, urgent or channel defaults (the key stays)",
    params: keyParams,
    body: categoryPatchRequest,
    responses: { 200: { description: "The updated category", schema: categorySchema } },
    errors: { 404: "No such category in this workspace" },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/categories/{key}",
    tag,
    summary: "Delete a category and every contact's choices for it",
    description: "Messages keep the key; queued ones then follow the contact's channel-wide choices alone, as uncategorised messages do.",
    params: keyParams,
    responses: { 204: { description: "Deleted" } },
    errors: { 404: "No such category in this workspace" },
  }),
};
