import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { createProviders } from "@/lib/providers/create-providers";
import { type RefreshCursor, type RefreshPage, refreshMessageStatusPage, refreshPendingMinutes } from "@/lib/webhooks/refresh-message-status-page";

/**
 * Pages per run: ≤ 1,000 provider lookups every 10 minutes. Email lookups take turns with sends
 * on the account's schedule (refreshMessageStatusPage), so a backlog slows sends, never 429s them.
 */
export const REFRESH_MAX_PAGES = 20;

/**
 * Catches what webhooks missed: messages still "sent" after REFRESH_PENDING_MINUTES (and under
 * three days old) are asked about through their provider's getStatus, a page per step, and
 * moved forward only. Step outputs carry a cursor and counts, never messages.
 */
export const refreshMessageStatus = inngest.createFunction(
  {
    id: "refresh-message-status",
    triggers: [{ cron: "*/10 * * * *" }],
    // One sweep at a time: an overlapping one would ask about the same messages twice.
    concurrency: { limit: 1 },
    retries: 2,
  },
  async ({ step }) => {
    // Read once, so every page (and every replay of them) uses the same window.
    const now = await step.run("read-clock", () => new Date().toISOString());
    const totals = { pages: 0, checked: 0, advanced: 0, skipped: 0, errors: 0 };
    let after: RefreshCursor | null = null;
    for (let page = 0; page < REFRESH_MAX_PAGES; page += 1) {
      const cursor: RefreshCursor | null = after;
      const result = await step.run(`refresh-page-${page}`, async (): Promise<RefreshPage> => {
        const { db } = await getDatabase();
        return refreshMessageStatusPage(db, createProviders(db), {
          now: new Date(now),
          pendingMinutes: refreshPendingMinutes(),
          after: cursor,
          actor: "function:refresh-message-status",
        });
      });
      totals.pages += 1;
      totals.checked += result.checked;
      totals.advanced += result.advanced;
      totals.skipped += result.skipped;
      totals.errors += result.errors;
      if (result.retryAfterMs !== null) await step.sleep(`wait-after-page-${page}`, result.retryAfterMs);
      else if (result.cursor === null) break;
      after = result.cursor;
    }
    return totals;
  },
);
