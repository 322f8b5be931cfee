import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { segmentCreateRequest, segmentPatchRequest } from "@/lib/segments/segment-request";
import { idParams, jsonValue, paged, timestamp } from "./common";

const tag = "Segments";

export const segmentSchema = z
  .object({ id: z.uuid(), name: z.string(), filter: z.record(z.string(), jsonValue), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: "Segment" });

export const segmentsApi = {
  create: apiOperation({
    method: "post",
    path: "/segments",
    tag,
    summary: "Save a filter over contacts",
    description:
      "The filter language: conditions on fields (`{field, op, value}`), attributes (`{attribute, op, value}`), lists (`{inList}`) and engagement (`{engagement, within}`), combined with `all`, `any` and `not`. A field error names the condition (`filter.all.0.value`).",
    body: segmentCreateRequest,
    responses: { 201: { description: "The saved segment", schema: segmentSchema } },
    errors: { 409: "A segment with this name already exists" },
  }),
  list: apiOperation({
    method: "get",
    path: "/segments",
    tag,
    summary: "List segments, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of segments", schema: paged(segmentSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/segments/{id}",
    tag,
    summary: "One segment",
    params: idParams("segment"),
    responses: { 200: { description: "The segment", schema: segmentSchema } },
    errors: { 404: "No such segment in this workspace" },
  }),
  update: apiOperation({
    method: "patch",
    path: "/segments/{id}",
    tag,
    summary: "Rename a segment or replace its filter",
    params: idParams("segment"),
    body: segmentPatchRequest,
    responses: { 200: { description: "The updated segment", schema: segmentSchema } },
    errors: { 404: "No such segment in this workspace", 409: "A segment with this name already exists" },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/segments/{id}",
    tag,
    summary: "Delete a segment",
    params: idParams("segment"),
    responses: { 204: { description: "Deleted" } },
    errors: { 404: "No such segment in this workspace" },
  }),
  count: apiOperation({
    method: "get",
    path: "/segments/{id}/count",
    tag,
    summary: "How many contacts the segment matches now",
    params: idParams("segment"),
    responses: { 200: { description: "The count", schema: z.object({ segmentId: z.uuid(), count: z.number().int() }) } },
    errors: { 404: "No such segment in this workspace", 409: "`invalid_segment`: the saved filter no longer passes the rules; the message says why" },
  }),
};
