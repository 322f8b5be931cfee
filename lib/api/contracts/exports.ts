import { z } from "zod";
import { EXPORT_STATUSES, EXPORT_SUBJECTS } from "@/core/exports/export-files";
import { apiOperation } from "@/lib/api/api-operation";
import { listQuery } from "@/lib/api/list-query";
import { exportCreateRequest } from "@/lib/exports/export-request";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Exports";

export const exportSchema = z
  .object({
    id: z.uuid(),
    subject: z.enum(EXPORT_SUBJECTS),
    contactId: z.uuid().nullable().meta({ description: "The contact of a contact export; null for a workspace export" }),
    status: z.enum(EXPORT_STATUSES).meta({ description: "queued → running → ready (or failed); a ready export whose link time has passed is expired" }),
    rowsDone: z.number().int().meta({ description: "Rows written so far" }),
    rowsTotal: z.number().int().nullable().meta({ description: "Rows the export will hold, counted before writing starts; null while queued" }),
    progress: z.number().min(0).max(1).nullable().meta({ description: "rowsDone / rowsTotal" }),
    bytes: z.number().int().nullable().meta({ description: "The zip's size once ready" }),
    sha256: z.string().nullable().meta({ description: "The zip's SHA-256 once ready (each file inside has its own in manifest.json)" }),
    notifyEmail: z.string().nullable().meta({ description: "Where the ready (or failed) email goes" }),
    requestedBy: z.string(),
    createdAt: timestamp,
    finishedAt: nullableTimestamp,
    expiresAt: nullableTimestamp.meta({ description: "Until when the download link works (EXPORT_LINK_TTL_HOURS after it was ready); then the file is deleted" }),
    error: z.string().nullable().meta({ description: "Why a failed export failed" }),
    downloadUrl: z
      .url()
      .nullable()
      .meta({ description: "A signed link to the zip, valid until `expiresAt`, needing no API key (treat it as a secret); null unless ready. An expired link answers 410, an altered one 403" }),
  })
  .meta({ id: "DataExport" });

export const exportsApi = {
  create: apiOperation({
    method: "post",
    path: "/exports",
    tag,
    summary: "Request a data export",
    description:
      "A GDPR access export of one contact (the contact, list memberships, preferences, messages, engagement events, inbox messages, push subscriptions, consent and suppression status, and audit entries about them) or a portability export of the whole workspace (contacts, lists, list members, messages with their status history, engagement events). Built in the background into a zip of JSON Lines and formula-safe CSV with a manifest of row counts and SHA-256 checksums; poll `GET /exports/{id}` for progress and the signed download link, or give `notifyEmail` to be emailed the link. Contacts whose erasure was requested are left out.",
    body: exportCreateRequest,
    responses: { 202: { description: "Accepted; built in the background", schema: exportSchema } },
    errors: { 404: "No such contact in this workspace (or its erasure was requested)", 503: "The export could not be queued; retry" },
  }),
  list: apiOperation({
    method: "get",
    path: "/exports",
    tag,
    summary: "List exports, newest first",
    query: listQuery({ status: z.enum(EXPORT_STATUSES).optional(), subject: z.enum(EXPORT_SUBJECTS).optional(), contactId: z.uuid().optional().meta({ description: "Only this contact's exports" }) }),
    responses: { 200: { description: "A page of exports", schema: paged(exportSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/exports/{id}",
    tag,
    summary: "One export: its status, progress and, when ready, a signed download link",
    params: idParams("export"),
    responses: { 200: { description: "The export", schema: exportSchema } },
    errors: { 404: "No such export in this workspace" },
  }),
};
