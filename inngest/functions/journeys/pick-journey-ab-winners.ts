import { getDatabase } from "@/db";
import { listOpenJourneyAbTests, type OpenTestCursor } from "@/db/queries/journey-ab-tests";
import { inngest } from "@/inngest/client";
import { settleJourneyAbTest } from "@/lib/journeys/settle-journey-ab-test";
import { logger } from "@/lib/observability/logger";

/** Open tests settled per step. */
export const JOURNEY_AB_PAGE = 50;

/**
 * Every 5 minutes: decides each journey A/B test whose sample is complete and whose window has
 * passed (or that reached its time limit), paging the open tests by a keyset cursor (the partial
 * index on tests with no winner). The decision is settleJourneyAbTest's conditional UPDATE, so a
 * replayed page or a person's "pick winner now" never records a second winner. A page is one
 * step: an open test costs a few indexed reads per tick, not an execution of its own.
 */
export const pickJourneyAbWinners = inngest.createFunction(
  { id: "pick-journey-ab-winners", triggers: [{ cron: "TZ=UTC */5 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    let after: OpenTestCursor | null = null;
    let picked = 0;
    let open = 0;
    for (let page = 0; ; page++) {
      const done: { seen: number; recorded: number; last: OpenTestCursor | null } = await step.run(`settle-page-${page}`, async () => {
        const { db } = await getDatabase();
        const now = new Date();
        const tests = await listOpenJourneyAbTests(db, { limit: JOURNEY_AB_PAGE, after });
        let recorded = 0;
        for (const test of tests) {
          const outcome = await settleJourneyAbTest(db, test, "window", now);
          if (outcome.ok && outcome.recordedNow) recorded++;
        }
        const last = tests.at(-1);
        return { seen: tests.length, recorded, last: last ? { journeyId: last.journeyId, version: last.version, nodeId: last.nodeId, startedAt: last.startedAt.toISOString() } : null };
      });
      picked += done.recorded;
      open += done.seen;
      if (done.seen < JOURNEY_AB_PAGE) break;
      after = done.last;
    }
    if (picked > 0) logger.info({ picked, open }, "journeys: A/B winners picked by the clock");
    return { picked, open };
  },
);
