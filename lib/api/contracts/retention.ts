import { z } from "zod";
import { DEFAULT_CONFIRM_SHARE, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, RETENTION_RULES, RETENTION_TARGET_LABELS, RETENTION_TARGET_NAMES } from "@/core/lifecycle/retention-rules";
import { apiErrorSchema } from "@/lib/api/responses";
import { apiOperation } from "@/lib/api/api-operation";
import { listQuery } from "@/lib/api/list-query";
import { nullableTimestamp, paged, timestamp } from "./common";

const tag = "Retention";

const days = (what: string) =>
  z
    .number()
    .int()
    .min(MIN_RETENTION_DAYS)
    .max(MAX_RETENTION_DAYS)
    .nullable()
    .default(null)
    .meta({ description: `${what}, after this many days (${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS}); null or absent: the rule is off` });

const rules = {
  inactiveContactDays: days("Anonymise contacts with no activity (no message queued or sent to them, no engagement event, no change to the contact)"),
  messageBodyDays: days("Drop message bodies (the request's body, subject and variables; outbox copies' HTML and text) of messages queued"),
  webhookPayloadDays: days("Clear stored provider webhook payloads about the workspace's messages"),
  runDataDays: days("Delete finished runs' working data (finished imports' error and staging rows, finished campaigns' chunks, sent digests' items)"),
};

const confirmShare = z
  .number()
  .gt(0)
  .max(1)
  .default(DEFAULT_CONFIRM_SHARE)
  .meta({ description: `Share of the workspace's live contacts (0–1) above which enabling the policy needs \`confirm: true\`; ${DEFAULT_CONFIRM_SHARE} unless given` });

export const retentionPolicyRequest = z
  .strictObject({
    enabled: z.boolean().default(false).meta({ description: "Whether the daily run applies the policy" }),
    ...rules,
    confirmShare,
    confirm: z.boolean().default(false).meta({ description: "Enable even though the dry run would anonymise more than `confirmShare` of the contacts" }),
  });

/** The dry run's body: each rule and the share as for PUT, but one left out is the stored policy's. */
export const retentionDraftRequest = z
  .strictObject({
    inactiveContactDays: rules.inactiveContactDays.removeDefault().optional(),
    messageBodyDays: rules.messageBodyDays.removeDefault().optional(),
    webhookPayloadDays: rules.webhookPayloadDays.removeDefault().optional(),
    runDataDays: rules.runDataDays.removeDefault().optional(),
    confirmShare: confirmShare.removeDefault().optional(),
  });

const retentionDraftSchema = z
  .object({
    inactiveContactDays: z.number().int().nullable(),
    messageBodyDays: z.number().int().nullable(),
    webhookPayloadDays: z.number().int().nullable(),
    runDataDays: z.number().int().nullable(),
    confirmShare: z.number(),
  })
  .meta({ id: "RetentionDraft" });

export const retentionPolicySchema = z
  .object({
    enabled: z.boolean(),
    inactiveContactDays: z.number().int().nullable(),
    messageBodyDays: z.number().int().nullable(),
    webhookPayloadDays: z.number().int().nullable(),
    runDataDays: z.number().int().nullable(),
    confirmShare: z.number(),
    confirmedAt: nullableTimestamp.meta({ description: "When a policy over the share was confirmed" }),
    updatedBy: z.string().nullable(),
    updatedAt: nullableTimestamp,
  })
  .meta({ id: "RetentionPolicy" });

const targetReport = z.object({
  rule: z.enum(RETENTION_RULES),
  days: z.number().int().nullable(),
  cutoff: nullableTimestamp.meta({ description: "Data from before this moment is touched; null: the rule is off" }),
  count: z.number().int().meta({ description: "Rows the rule would touch now" }),
  sample: z.array(z.string()).meta({ description: "A few of their ids (at most 5)" }),
});

export const retentionDryRunSchema = z
  .object({
    runId: z.uuid().meta({ description: "The dry run's record in the runs list" }),
    generatedAt: timestamp,
    policy: retentionDraftSchema.meta({ description: "The rules the report is for" }),
    targets: z.object(Object.fromEntries(RETENTION_TARGET_NAMES.map((target) => [target, targetReport.meta({ description: RETENTION_TARGET_LABELS[target] })])) as Record<(typeof RETENTION_TARGET_NAMES)[number], typeof targetReport>),
    contacts: z.object({ live: z.number().int(), wouldAnonymise: z.number().int(), share: z.number() }),
    confirmShare: z.number(),
    needsConfirmation: z.boolean(),
  })
  .meta({ id: "RetentionDryRun" });

export const retentionRunSchema = z
  .object({
    id: z.uuid(),
    dryRun: z.boolean(),
    status: z.enum(["running", "completed", "failed"]),
    counts: z.record(z.string(), z.number().int()).meta({ description: "Rows touched (or, for a dry run, that would be) per target" }),
    startedAt: timestamp,
    finishedAt: nullableTimestamp,
    error: z.string().nullable(),
  })
  .meta({ id: "RetentionRun" });

export const retentionApi = {
  getPolicy: apiOperation({
    method: "get",
    path: "/retention-policy",
    tag,
    summary: "The workspace's retention policy",
    description: "Every rule is off (null) until set; a workspace that never set one answers the defaults.",
    responses: { 200: { description: "The policy", schema: retentionPolicySchema } },
  }),
  putPolicy: apiOperation({
    method: "put",
    path: "/retention-policy",
    tag,
    summary: "Set the retention policy",
    description:
      "Replaces the whole policy (an absent rule is off). Enabling a policy whose dry run would anonymise more than `confirmShare` of the live contacts answers 409 with the dry run's report: send it again with `confirm: true`. Audited.",
    body: retentionPolicyRequest,
    responses: { 200: { description: "The stored policy", schema: retentionPolicySchema } },
    errors: { 409: "The policy would anonymise more than `confirmShare` of the contacts: the body is the error plus `report` (the dry run); repeat with `confirm: true`" },
  }),
  dryRun: apiOperation({
    method: "post",
    path: "/retention-policy/dry-run",
    tag,
    summary: "What a policy would touch now",
    description:
      "Counts per target and a few ids, for the stored policy with the body's rules in place of its own (an empty body, or `{}`: the stored policy as it is). Changes nothing; recorded in the runs list as a dry run.",
    body: retentionDraftRequest,
    responses: { 200: { description: "The report", schema: retentionDryRunSchema } },
  }),
  listRuns: apiOperation({
    method: "get",
    path: "/retention-runs",
    tag,
    summary: "Retention runs and dry runs, newest first",
    query: listQuery({ dryRun: z.enum(["true", "false"]).transform((value) => value === "true").optional().meta({ description: "Only dry runs (true) or only applied runs (false)" }) }),
    responses: { 200: { description: "A page of runs", schema: paged(retentionRunSchema) } },
  }),
};

/** The 409's body: the usual error plus the dry run that needs confirming. */
export const retentionConfirmationSchema = apiErrorSchema.extend({ report: retentionDryRunSchema });
