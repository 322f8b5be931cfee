import { z } from "zod";
import { importMode, importStatus } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { CONTACT_FIELDS } from "@/core/imports/contact-fields";
import { importUploadFields } from "@/lib/imports/import-upload-fields";
import { IMPORT_MAX_FILE_BYTES, IMPORT_MAX_ROWS } from "@/lib/imports/limits";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Imports";
const count = z.number().int();

export const importSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(importStatus.enumValues),
    mode: z.enum(importMode.enumValues),
    listId: z.uuid().nullable(),
    fileName: z.string(),
    bytes: count,
    sha256: z.string(),
    kind: z.string().nullable().meta({ description: "csv, xlsx or vcard, once the file has been read" }),
    sheetName: z.string().nullable(),
    mapping: z.record(z.string(), z.string()),
    tagsAs: z.enum(["attribute", "lists"]),
    total: count.nullable(),
    processed: count,
    inserted: count,
    updated: count,
    skipped: count,
    failed: count,
    warnings: z.array(z.object({ code: z.string(), message: z.string(), column: z.string().optional() })),
    error: z.string().nullable(),
    createdAt: timestamp,
    startedAt: nullableTimestamp,
    finishedAt: nullableTimestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Import" });

/**
 * The multipart form: the route checks its text fields with importUploadFields (the same
 * schemas, described here) and streams `file` to storage.
 */
const uploadForm = importUploadFields.extend({
  file: z.string().meta({
    contentMediaType: "application/octet-stream",
    description: `The CSV, Excel (.xlsx) or vCard file, at most ${IMPORT_MAX_FILE_BYTES / (1024 * 1024)} MB and ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows; the type is read from the content`,
  }),
  listId: importUploadFields.shape.listId.meta({ description: "Add every imported contact to this list" }),
  mode: importUploadFields.shape.mode.meta({ description: "`upsert` updates contacts that exist; `create-only` and `skip-existing` leave them" }),
  mapping: importUploadFields.shape.mapping.meta({
    description: `JSON object, header → ${CONTACT_FIELDS.join(" | ")} | attribute:<key> | ignore; overrides the header matching for those columns`,
    example: '{"Mobile": "phone", "Company": "attribute:company", "Notes": "ignore"}',
  }),
  sheet: importUploadFields.shape.sheet.meta({ description: "The workbook sheet to read (the first otherwise)" }),
  tagsAs: importUploadFields.shape.tagsAs.meta({ description: "Where tags, labels, groups and categories go: attribute `tags`, or lists of those names" }),
});

export const importsApi = {
  create: apiOperation({
    method: "post",
    path: "/imports",
    tag,
    summary: "Upload a contact file to import",
    description: "The file is stored and imported in the background; poll the import for progress. The same file with the same options again answers 200 with the existing import.",
    body: uploadForm,
    bodyType: "multipart",
    responses: {
      202: { description: "Stored and queued", schema: z.object({ id: z.uuid(), status: z.enum(importStatus.enumValues) }) },
      200: { description: "The same file was imported before: the existing import", schema: z.object({ id: z.uuid(), status: z.enum(importStatus.enumValues) }) },
    },
    errors: { 404: "`listId` names no list of this workspace", 413: "The file is over the size limit", 503: "File storage is unavailable (`storage_unavailable`: nothing was stored), or the file is stored but the import could not be queued (`queue_unavailable`); post the same file again" },
  }),
  list: apiOperation({
    method: "get",
    path: "/imports",
    tag,
    summary: "List imports, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of imports", schema: paged(importSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/imports/{id}",
    tag,
    summary: "One import's progress and outcome",
    params: idParams("import"),
    responses: { 200: { description: "The import", schema: importSchema } },
    errors: { 404: "No such import in this workspace" },
  }),
  errors: apiOperation({
    method: "get",
    path: "/imports/{id}/errors",
    tag,
    summary: "The per-row error report as CSV (`line,column,reason,value`)",
    params: idParams("import"),
    responses: { 200: { description: "The report, streamed; formula-like values are escaped", contentType: "text/csv" } },
    errors: { 404: "No such import in this workspace" },
  }),
  cancel: apiOperation({
    method: "post",
    path: "/imports/{id}/cancel",
    tag,
    summary: "Stop a queued or running import before its next chunk (rows already written stay)",
    params: idParams("import"),
    responses: { 200: { description: "The cancelled import", schema: importSchema } },
    errors: { 404: "No such import in this workspace", 409: "The import has already finished" },
  }),
};
