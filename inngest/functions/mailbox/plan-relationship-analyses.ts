import { getDatabase } from "@/db";
import { listWorkspacesWithMailboxMessages } from "@/db/queries/contact-relationships";
import { inngest } from "@/inngest/client";
import { mailboxRelationshipsRequested } from "@/inngest/events";

/** Workspaces per page: one step reads their ids, one send fans them out. */
export const RELATIONSHIP_PLAN_PAGE = 500;

/**
 * Daily at 04:15 UTC: asks analyse-relationships to recompute every workspace that has mailbox
 * messages, because recency decays and threads stop awaiting a reply after 30 days even when no
 * mail arrives. The event id names the workspace and the day, so a retried send or a replay of
 * the plan starts nothing twice.
 */
export const planRelationshipAnalyses = inngest.createFunction(
  { id: "plan-relationship-analyses", triggers: [{ cron: "TZ=UTC 15 4 * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    let after: string | undefined;
    let planned = 0;
    for (let page = 0; ; page++) {
      const found = await step.run(`list-workspaces-${page}`, async () => ({
        day: new Date().toISOString().slice(0, 10),
        workspaceIds: await listWorkspacesWithMailboxMessages((await getDatabase()).db, { after, limit: RELATIONSHIP_PLAN_PAGE }),
      }));
      if (found.workspaceIds.length > 0) {
        await step.sendEvent(
          `request-analyses-${page}`,
          found.workspaceIds.map((workspaceId) => mailboxRelationshipsRequested.create({ workspaceId }, { id: `mailbox-relationships-${workspaceId}-${found.day}` })),
        );
      }
      planned += found.workspaceIds.length;
      if (found.workspaceIds.length < RELATIONSHIP_PLAN_PAGE) break;
      after = found.workspaceIds.at(-1);
    }
    return { planned };
  },
);
