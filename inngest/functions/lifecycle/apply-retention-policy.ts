import { getDatabase } from "@/db";
import { getRetentionPolicy } from "@/db/queries/retention-policies";
import { applyRetentionBatch, type RetentionCursor } from "@/db/queries/retention-rules";
import { finishRetentionRun, getRetentionRun } from "@/db/queries/retention-runs";
import { RETENTION_TARGET_NAMES, type RetentionTarget, retentionCutoffs } from "@/core/lifecycle/retention-rules";
import { inngest } from "@/inngest/client";
import { retentionRequested } from "@/inngest/events";
import { completeRetentionRun } from "@/lib/lifecycle/complete-retention-run";
import { retentionSettings } from "@/lib/lifecycle/retention-settings";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

const kebab = (target: RetentionTarget) => target.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * Applies one workspace's retention policy for a recorded run: each rule's targets in keyset
 * batches of RETENTION_BATCH_ROWS, one step per batch (outputs carry counts and a cursor, never
 * rows), at most RETENTION_MAX_BATCHES_PER_RULE per target (the rest waits for tomorrow's run).
 * Cutoffs and the anonymisation time are fixed in the first step from the app's clock, so
 * retries and replays apply exactly the same policy. One run per workspace at a time. The run
 * records its counts and is audited; a run that fails is marked failed with the reason.
 */
export const applyRetentionPolicy = inngest.createFunction(
  {
    id: "apply-retention-policy",
    triggers: [retentionRequested],
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
    retries: 3,
    onFailure: async ({ event, error }) => {
      const { workspaceId, runId } = event.data.event.data;
      const { db } = await getDatabase();
      const reason = publicErrorMessage(error, { where: "apply-retention-policy", workspaceId, runId });
      if (await finishRetentionRun(db, { workspaceId, runId, status: "failed", error: reason, at: new Date() })) metrics().retentionRuns.inc({ status: "failed" });
      logger.error({ workspaceId, runId, error: reason }, "retention: run failed");
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, runId: event.data.runId };
    const settings = retentionSettings();
    const plan = await step.run("load-policy", async () => {
      const { db } = await getDatabase();
      const run = await getRetentionRun(db, ids);
      if (!run || run.dryRun || run.status !== "running") return null;
      const policy = await getRetentionPolicy(db, { workspaceId: ids.workspaceId });
      const now = new Date();
      if (!policy?.enabled) return { at: now.toISOString(), cutoffs: null };
      const cutoffs = retentionCutoffs(policy, now);
      return { at: now.toISOString(), cutoffs: Object.fromEntries(RETENTION_TARGET_NAMES.map((target) => [target, cutoffs[target]?.toISOString() ?? null])) as Record<RetentionTarget, string | null> };
    });
    if (!plan) return { skipped: "no running retention run with this id in this workspace" };

    const counts: Partial<Record<RetentionTarget, number>> = {};
    const unfinished: RetentionTarget[] = [];
    for (const target of RETENTION_TARGET_NAMES) {
      const cutoff = plan.cutoffs?.[target];
      if (!cutoff) continue;
      counts[target] = 0;
      let cursor: RetentionCursor | null = null;
      let done = false;
      for (let n = 0; n < settings.maxBatchesPerRule && !done; n++) {
        const batch = await step.run(`${kebab(target)}-batch-${n}`, async () => {
          const { db } = await getDatabase();
          const applied = await applyRetentionBatch(db, { workspaceId: ids.workspaceId, target, cutoff: new Date(cutoff), at: new Date(plan.at), cursor, limit: settings.batchRows });
          if (applied.touched > 0) metrics().retentionRows.inc({ target }, applied.touched);
          return applied;
        });
        counts[target] = (counts[target] ?? 0) + batch.touched;
        cursor = batch.cursor;
        done = batch.done;
      }
      if (!done) unfinished.push(target);
    }

    return step.run("finish-run", async () => {
      const { db } = await getDatabase();
      const details = { cutoffs: plan.cutoffs, policyEnabled: plan.cutoffs !== null, continuesTomorrow: unfinished };
      if (await completeRetentionRun(db, { ...ids, counts, details, at: new Date() })) metrics().retentionRuns.inc({ status: "completed" });
      logger.info({ ...ids, counts, continuesTomorrow: unfinished }, "retention: run applied");
      return { counts, continuesTomorrow: unfinished };
    });
  },
);
