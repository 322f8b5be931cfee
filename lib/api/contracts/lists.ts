import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { listCreateRequest, listPatchRequest, membershipRequest } from "@/lib/lists/list-request";
import { idParams, paged, timestamp } from "./common";
import { contactSchema } from "./contacts";

const tag = "Lists";

export const listSchema = z
  .object({ id: z.uuid(), name: z.string(), description: z.string().nullable(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: "List" });

const unknownContactIds = z.array(z.uuid()).meta({ description: "Ids that are not this workspace's contacts; they changed nothing" });

export const listsApi = {
  create: apiOperation({
    method: "post",
    path: "/lists",
    tag,
    summary: "Create a static list",
    body: listCreateRequest,
    responses: { 201: { description: "The new list", schema: listSchema } },
    errors: { 409: "A list with this name already exists" },
  }),
  list: apiOperation({
    method: "get",
    path: "/lists",
    tag,
    summary: "List lists, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of lists", schema: paged(listSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/lists/{id}",
    tag,
    summary: "One list with its member count",
    params: idParams("list"),
    responses: { 200: { description: "The list", schema: listSchema.extend({ memberCount: z.number().int() }) } },
    errors: { 404: "No such list in this workspace" },
  }),
  update: apiOperation({
    method: "patch",
    path: "/lists/{id}",
    tag,
    summary: "Rename a list or change its description",
    params: idParams("list"),
    body: listPatchRequest,
    responses: { 200: { description: "The updated list", schema: listSchema } },
    errors: { 404: "No such list in this workspace", 409: "A list with this name already exists" },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/lists/{id}",
    tag,
    summary: "Delete a list and its memberships (the contacts stay)",
    params: idParams("list"),
    responses: { 204: { description: "Deleted" } },
    errors: { 404: "No such list in this workspace" },
  }),
  addMembers: apiOperation({
    method: "post",
    path: "/lists/{id}/members",
    tag,
    summary: "Add contacts to a list (idempotent)",
    params: idParams("list"),
    body: membershipRequest,
    responses: {
      200: {
        description: "What changed",
        schema: z.object({ added: z.number().int(), alreadyMembers: z.number().int(), unknownContactIds }),
      },
    },
    errors: { 404: "No such list in this workspace" },
  }),
  removeMembers: apiOperation({
    method: "delete",
    path: "/lists/{id}/members",
    tag,
    summary: "Remove contacts from a list (idempotent)",
    params: idParams("list"),
    body: membershipRequest,
    responses: {
      200: {
        description: "What changed",
        schema: z.object({ removed: z.number().int(), notMembers: z.number().int(), unknownContactIds }),
      },
    },
    errors: { 404: "No such list in this workspace" },
  }),
  members: apiOperation({
    method: "get",
    path: "/lists/{id}/members",
    tag,
    summary: "A list's members, newest first",
    params: idParams("list"),
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of members", schema: paged(contactSchema.extend({ addedAt: timestamp })) } },
    errors: { 404: "No such list in this workspace" },
  }),
};
