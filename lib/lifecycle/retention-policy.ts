import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { countLiveContacts, countRetentionCandidates } from "@/db/queries/retention-rules";
import { getRetentionPolicy, type RetentionPolicy, saveRetentionPolicy } from "@/db/queries/retention-policies";
import { insertRetentionRun, type RetentionRun } from "@/db/queries/retention-runs";
import {
  anonymiseShare,
  DEFAULT_CONFIRM_SHARE,
  RETENTION_RULES,
  RETENTION_TARGET_NAMES,
  RETENTION_TARGETS,
  type RetentionDays,
  type RetentionTarget,
  retentionCutoffs,
} from "@/core/lifecycle/retention-rules";

/** Ids a dry run shows per target: enough to look a few up, never a row set. */
export const DRY_RUN_SAMPLE_SIZE = 5;

export type RetentionPolicyView = RetentionDays & {
  enabled: boolean;
  confirmShare: number;
  confirmedAt: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
};

export type RetentionDraft = RetentionDays & { confirmShare: number };

export type DryRunReport = {
  runId: string;
  generatedAt: string;
  policy: RetentionDraft;
  targets: Record<RetentionTarget, { rule: (typeof RETENTION_RULES)[number]; days: number | null; cutoff: string | null; count: number; sample: string[] }>;
  contacts: { live: number; wouldAnonymise: number; share: number };
  confirmShare: number;
  needsConfirmation: boolean;
};

const daysOf = (policy: RetentionDays): RetentionDays => Object.fromEntries(RETENTION_RULES.map((rule) => [rule, policy[rule]])) as RetentionDays;

/** The stored policy as the API shows it; a workspace without one has every rule off. */
export function retentionPolicyView(policy: RetentionPolicy | undefined): RetentionPolicyView {
  if (!policy) {
    return { enabled: false, inactiveContactDays: null, messageBodyDays: null, webhookPayloadDays: null, runDataDays: null, confirmShare: DEFAULT_CONFIRM_SHARE, confirmedAt: null, updatedBy: null, updatedAt: null };
  }
  return {
    enabled: policy.enabled,
    ...daysOf(policy),
    confirmShare: Number(policy.confirmShare),
    confirmedAt: policy.confirmedAt?.toISOString() ?? null,
    updatedBy: policy.updatedBy,
    updatedAt: policy.updatedAt.toISOString(),
  };
}

/**
 * What a policy would touch now, per target: counts and a few ids, and the share of live contacts
 * it would anonymise. Changes nothing but the record of the dry run itself (a `retention_runs`
 * row with `dryRun`, so the runs list shows when it was asked and what it said).
 */
export async function dryRunRetention(db: Db, params: { workspaceId: string; draft: RetentionDraft; now: Date }): Promise<DryRunReport> {
  const cutoffs = retentionCutoffs(params.draft, params.now);
  const targets = {} as DryRunReport["targets"];
  for (const target of RETENTION_TARGET_NAMES) {
    const rule = RETENTION_TARGETS[target];
    const cutoff = cutoffs[target];
    const found = cutoff ? await countRetentionCandidates(db, { workspaceId: params.workspaceId, cutoff, target, sampleSize: DRY_RUN_SAMPLE_SIZE }) : { count: 0, sample: [] };
    targets[target] = { rule, days: params.draft[rule], cutoff: cutoff?.toISOString() ?? null, ...found };
  }
  const live = await countLiveContacts(db, { workspaceId: params.workspaceId });
  const wouldAnonymise = targets.anonymisedContacts.count;
  const { share, needsConfirmation } = anonymiseShare({ wouldAnonymise, contacts: live, confirmShare: params.draft.confirmShare });
  const counts = Object.fromEntries(RETENTION_TARGET_NAMES.map((target) => [target, targets[target].count]));
  const run = await insertRetentionRun(db, { workspaceId: params.workspaceId, dryRun: true, status: "completed", counts, startedAt: params.now, finishedAt: params.now });
  return { runId: run.id, generatedAt: params.now.toISOString(), policy: params.draft, targets, contacts: { live, wouldAnonymise, share }, confirmShare: params.draft.confirmShare, needsConfirmation };
}

/** The stored policy's rules, or every rule off. */
export async function storedDraft(db: Db, workspaceId: string): Promise<RetentionDraft> {
  const view = retentionPolicyView(await getRetentionPolicy(db, { workspaceId }));
  return { ...daysOf(view), confirmShare: view.confirmShare };
}

export type RetentionPolicyInput = RetentionDays & { enabled: boolean; confirmShare: number; confirm: boolean };

/**
 * Writes a workspace's policy (the whole of it). An enabled policy whose dry run would anonymise
 * more than `confirmShare` of the live contacts is refused with the report unless `confirm` is
 * set, or unless it is the very policy already enabled and confirmed (saving it again unchanged
 * asks nothing twice). Audited.
 */
export async function updateRetentionPolicy(
  db: Db,
  params: { workspaceId: string; actor: string; input: RetentionPolicyInput; now: Date },
): Promise<{ ok: true; policy: RetentionPolicyView; report: DryRunReport | null } | { ok: false; report: DryRunReport }> {
  const { workspaceId, input, now } = params;
  const stored = await getRetentionPolicy(db, { workspaceId });
  const draft: RetentionDraft = { ...daysOf(input), confirmShare: input.confirmShare };
  const unchanged =
    stored !== undefined && stored.enabled && RETENTION_RULES.every((rule) => stored[rule] === input[rule]) && Number(stored.confirmShare) === input.confirmShare;
  let report: DryRunReport | null = null;
  let confirmedAt: Date | null = unchanged ? (stored?.confirmedAt ?? null) : null;
  if (input.enabled && input.inactiveContactDays !== null) {
    report = await dryRunRetention(db, { workspaceId, draft, now });
    if (report.needsConfirmation) {
      if (input.confirm) confirmedAt = now;
      else if (!(unchanged && confirmedAt)) return { ok: false, report };
    }
  }
  const saved = await saveRetentionPolicy(db, { workspaceId, enabled: input.enabled, ...draft, confirmedAt, updatedBy: params.actor, at: now });
  await insertAuditEntry(db, {
    workspaceId,
    actor: params.actor,
    action: "retention_policy.updated",
    targetType: "retention_policy",
    targetId: workspaceId,
    details: { enabled: input.enabled, ...draft, confirmed: confirmedAt !== null, wouldAnonymise: report?.contacts.wouldAnonymise ?? null, share: report?.contacts.share ?? null },
  });
  return { ok: true, policy: retentionPolicyView(saved), report };
}

/** A run as the API and the dashboard show it. */
export function retentionRunView(run: RetentionRun) {
  return {
    id: run.id,
    dryRun: run.dryRun,
    status: run.status,
    counts: run.counts,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
  };
}
