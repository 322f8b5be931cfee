import { getDatabase } from "@/db";
import { listEnabledRetentionWorkspaces } from "@/db/queries/retention-policies";
import { insertRetentionRuns } from "@/db/queries/retention-runs";
import { inngest } from "@/inngest/client";
import { retentionRequestedEvent } from "@/inngest/retention-event";
import { logger } from "@/lib/observability/logger";

/** Workspaces per page: one step records their runs, one send fans them out. */
export const RETENTION_PLAN_PAGE = 500;

/**
 * Daily at 03:30 UTC: records a retention run for every workspace whose policy is enabled and
 * asks `apply-retention-policy` to apply it (event id = the run's id, so a retried send starts
 * nothing twice). Pages of workspaces, so the step outputs carry ids only, and workspaces whose
 * policy is off are never touched.
 */
export const planRetention = inngest.createFunction(
  { id: "plan-retention", triggers: [{ cron: "TZ=UTC 30 3 * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    let after: string | undefined;
    let planned = 0;
    for (let page = 0; ; page++) {
      const recorded = await step.run(`record-runs-${page}`, async () => {
        const { db } = await getDatabase();
        const workspaceIds = await listEnabledRetentionWorkspaces(db, { after, limit: RETENTION_PLAN_PAGE });
        const runs = await insertRetentionRuns(db, { workspaceIds, startedAt: new Date() });
        return { runs, last: workspaceIds.at(-1) ?? null };
      });
      if (recorded.runs.length > 0) await step.sendEvent(`request-runs-${page}`, recorded.runs.map(retentionRequestedEvent));
      planned += recorded.runs.length;
      if (recorded.runs.length < RETENTION_PLAN_PAGE || !recorded.last) break;
      after = recorded.last;
    }
    logger.info({ planned }, "retention: runs planned");
    return { planned };
  },
);
