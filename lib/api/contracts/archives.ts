import { z } from "zod";
import { ARCHIVED_TABLES } from "@/db/queries/archived-rows";
import { apiOperation } from "@/lib/api/api-operation";
import { listQuery } from "@/lib/api/list-query";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Archives";
const count = z.number().int().min(0);
const ARCHIVE_STATUSES = ["archiving", "archived", "restoring", "restored", "failed"] as const;

export const archiveSchema = z
  .object({
    id: z.uuid(),
    campaignId: z.uuid(),
    status: z.enum(ARCHIVE_STATUSES).meta({ description: "archiving → archived → restoring → restored; failed says why in `error` (before verification nothing was deleted; after it, restore)" }),
    requestedBy: z.string().meta({ description: "`schedule` (ARCHIVE_CAMPAIGNS_AFTER_DAYS), `api_key:<id>` or `dashboard`" }),
    requestedAt: timestamp,
    archivedAt: nullableTimestamp,
    restoredAt: nullableTimestamp,
    rows: count.meta({ description: "Rows in the archive's files" }),
    bytes: count.meta({ description: "Compressed bytes of the archive's files" }),
    error: z.string().nullable(),
  })
  .meta({ id: "CampaignArchive" });

const archiveFileSchema = z.object({
  table: z.enum(ARCHIVED_TABLES),
  part: count,
  revision: count.meta({ description: "Bumped each time the file was rewritten to remove an erased contact's rows" }),
  key: z.string().meta({ description: "The file's key in the file storage (gzip JSONL, one row of `to_jsonb` per line)" }),
  rows: count,
  bytes: count,
  sha256: z.string().meta({ description: "SHA-256 (hex) of the stored, compressed bytes" }),
  contentBytes: count,
  contentSha256: z.string().meta({ description: "SHA-256 (hex) of the uncompressed JSONL" }),
  firstKey: z.string().nullable(),
  lastKey: z.string().nullable(),
});

export const archiveManifestSchema = z
  .object({
    format: z.literal("sendline-archive/1"),
    archiveId: z.uuid(),
    workspaceId: z.uuid(),
    campaignId: z.uuid(),
    schemaVersion: z.string().nullable().meta({ description: "The newest database migration when the rows were read" }),
    createdAt: timestamp,
    progress: z.object({ audience: count, sent: count, suppressed: count, failed: count }).meta({ description: "The campaign's recipient counts when archived: what its pages and seals read while archived" }),
    files: z.array(archiveFileSchema),
    tables: z.record(z.string(), z.object({ rows: count, bytes: count, files: count })),
    verifiedAt: nullableTimestamp.meta({ description: "When every file was read back and matched; rows are deleted only after it" }),
    scrubs: z.array(z.object({ at: timestamp, rows: count })).meta({ description: "Erased contacts' rows removed from the files: when and how many" }),
  })
  .meta({ id: "CampaignArchiveManifest" });

export const archiveDetailSchema = archiveSchema.extend({ manifest: archiveManifestSchema.nullable() }).meta({ id: "CampaignArchiveDetail" });

/** What a campaign says about its archive. */
export const campaignArchiveStateSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(ARCHIVE_STATUSES),
    archivedAt: nullableTimestamp,
    restoredAt: nullableTimestamp,
    rowsInArchive: z.boolean().meta({ description: "True while the recipients, messages and events are in cold storage: lists of them are empty, stats still come from the rollups" }),
  })
  .nullable()
  .meta({ id: "CampaignArchiveState" });

export const archivesApi = {
  archive: apiOperation({
    method: "post",
    path: "/campaigns/{id}/archive",
    tag,
    summary: "Archive a campaign to cold storage now",
    description:
      "Moves the campaign's recipients, messages (with their attempts and outbox copies) and engagement events to the file storage as gzip JSONL with a manifest (rows, bytes, SHA-256 of each file and of its content). The campaign, its rollups and its sealed metrics stay. Runs in the background: poll `GET /archives/{id}`. A campaign archived, restored, or whose archive failed before any row was deleted may be archived again.",
    params: idParams("campaign"),
    responses: { 202: { description: "Accepted: the archive is being written", schema: archiveSchema } },
    errors: { 404: "No such campaign in this workspace", 409: "The campaign may still send (draft, scheduled, sending, paused), or its archive is under way or holds its rows", 503: "The request could not be queued; retry" },
  }),
  restore: apiOperation({
    method: "post",
    path: "/campaigns/{id}/restore",
    tag,
    summary: "Restore an archived campaign's rows",
    description:
      "Checks every file of the archive against its manifest, then inserts every row back exactly (same ids, timestamps and values) and deletes the files. A file that does not match its checksum refuses the whole restore (the archive stays as it was, `error` says which file). Runs in the background: poll `GET /archives/{id}`.",
    params: idParams("campaign"),
    responses: { 202: { description: "Accepted: the rows are being restored", schema: archiveSchema } },
    errors: { 404: "No such campaign in this workspace, or it has no archive", 409: "The archive is not archived (being written, restored, or already restored)", 503: "The request could not be queued; retry" },
  }),
  list: apiOperation({
    method: "get",
    path: "/archives",
    tag,
    summary: "List campaign archives, newest request first",
    query: listQuery({ status: z.enum(ARCHIVE_STATUSES).optional() }),
    responses: { 200: { description: "A page of archives", schema: paged(archiveSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/archives/{id}",
    tag,
    summary: "One archive with its manifest",
    params: idParams("archive"),
    responses: { 200: { description: "The archive and its manifest", schema: archiveDetailSchema } },
    errors: { 404: "No such archive in this workspace" },
  }),
};
