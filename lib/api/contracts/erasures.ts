import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { listQuery } from "@/lib/api/list-query";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Erasures";

/** Contacts one bulk request may name (ids, or a segment's matches). */
export const MAX_BULK_ERASURE_CONTACTS = 1_000;

export const ERASURE_STATUSES = ["pending", "waiting", "erasing", "erased", "restored"] as const;

export const erasureSchema = z
  .object({
    id: z.uuid(),
    subject: z.enum(["contact", "workspace"]),
    contactId: z.uuid().nullable().meta({ description: "The contact being erased; null for a workspace erasure" }),
    status: z.enum(ERASURE_STATUSES).meta({
      description:
        "pending: inside the recovery window, the subject hidden everywhere (restore brings it back as it was); waiting: the window passed, waiting for the workspace's daily quota; erasing: under way; erased: done; restored: undone",
    }),
    requestedBy: z.string(),
    requestedAt: timestamp,
    eraseAfter: timestamp.meta({ description: "The end of the recovery window: restore works until then" }),
    executedAt: nullableTimestamp,
    restoredAt: nullableTimestamp,
    recoveryEmailsSent: z.number().int(),
    counts: z.record(z.string(), z.number().int()).meta({ description: "Rows removed or rewritten per table, once erased" }),
    error: z.string().nullable().meta({ description: "Why the last attempt at executing failed (it is retried)" }),
  })
  .meta({ id: "Erasure" });

export const bulkErasureRequest = z
  .strictObject({
    segmentId: z.uuid().optional().meta({ description: `Erase every contact the segment matches now (at most ${MAX_BULK_ERASURE_CONTACTS})` }),
    contactIds: z
      .array(z.uuid())
      .min(1)
      .max(MAX_BULK_ERASURE_CONTACTS)
      .optional()
      .meta({ description: `1 to ${MAX_BULK_ERASURE_CONTACTS} contact ids; ids not in this workspace are reported, not erased` }),
  })
  .refine((body) => (body.segmentId === undefined) !== (body.contactIds === undefined), "give either segmentId or contactIds, not both")
  .meta({ description: "Exactly one of `segmentId` and `contactIds`" });

export const bulkErasureResult = z
  .object({
    data: z.array(erasureSchema).meta({ description: "The erasures, new or already open, one per contact" }),
    unknown: z.array(z.uuid()).meta({ description: "Requested ids that are not contacts of this workspace" }),
  })
  .meta({ id: "BulkErasureResult" });

export const erasuresApi = {
  bulk: apiOperation({
    method: "post",
    path: "/erasures",
    tag,
    summary: "Erase many contacts: a segment's matches or a list of ids",
    body: bulkErasureRequest,
    responses: { 202: { description: "One erasure per contact", schema: bulkErasureResult } },
    errors: { 404: "No such segment in this workspace", 409: "The segment's filter cannot be used", 503: "Recorded but not queued; retry" },
  }),
  list: apiOperation({
    method: "get",
    path: "/erasures",
    tag,
    summary: "List erasures, newest first",
    query: listQuery({ status: z.enum(ERASURE_STATUSES).optional() }),
    responses: { 200: { description: "A page of erasures", schema: paged(erasureSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/erasures/{id}",
    tag,
    summary: "One erasure",
    params: idParams("erasure"),
    responses: { 200: { description: "The erasure", schema: erasureSchema } },
    errors: { 404: "No such erasure in this workspace" },
  }),
  restore: apiOperation({
    method: "post",
    path: "/erasures/{id}/restore",
    tag,
    summary: "Undo an erasure within its recovery window",
    description: "The contact becomes visible again, exactly as it was: nothing about it changed while it was hidden.",
    params: idParams("erasure"),
    responses: { 200: { description: "The restored erasure", schema: erasureSchema } },
    errors: { 404: "No such erasure in this workspace", 409: "Already restored, or the window has passed" },
  }),
  resendRecoveryEmail: apiOperation({
    method: "post",
    path: "/erasures/{id}/recovery-email",
    tag,
    summary: "Send the recovery email again",
    description: "At most ERASURE_RECOVERY_EMAILS_PER_DAY (2) reach one contact per 24 hours, however often this is called; a contact without an email address gets none.",
    params: idParams("erasure"),
    responses: { 202: { description: "Asked for; the rate limit decides whether one goes", schema: erasureSchema } },
    errors: { 404: "No such erasure in this workspace", 409: "Not a contact erasure inside its recovery window", 503: "Not queued; retry" },
  }),
  eraseWorkspace: apiOperation({
    method: "delete",
    path: "/workspace",
    tag,
    summary: "Erase this workspace (with a recovery window)",
    description:
      "Every API key of the workspace is refused (401) from now on; within the recovery window the erasure can be undone from the dashboard's Erasures page. After it the workspace and everything it owns, stored files included, is deleted.",
    responses: { 202: { description: "The workspace's erasure (new, or the one already open)", schema: erasureSchema } },
    errors: { 503: "Recorded but not queued; undo it from the dashboard, or retry" },
  }),
};
