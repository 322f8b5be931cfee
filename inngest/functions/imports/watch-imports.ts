import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { contactImportRequested } from "@/inngest/events";
import { importWatchdogSettings } from "@/lib/imports/import-watchdog-settings";
import { findStalledImports, recordRestarts, restartEvent } from "@/lib/imports/rescue-stalled-imports";

/**
 * The stuck-import watchdog, every two minutes: an import queued or running with no progress for
 * STUCK_IMPORT_MINUTES gets its start event again — one sent before the app was synced matched
 * no function, and a run can be lost with its server. import-contacts resumes from the last
 * committed chunk, so a second start never writes a row twice. Recording comes before sending:
 * a restarted import starts moving at once, and a record made after the send found it moved and
 * logged nothing (the restart raced itself). The send is a step of its own, retried until it goes
 * out; should it never, the recorded stall ends a period later and the next pass sends again.
 * Event ids are stable per stall, so a retried send is dropped as a duplicate.
 */
export const watchImports = inngest.createFunction(
  { id: "watch-imports", triggers: [{ cron: "*/2 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const stalled = await step.run("find-stalled-imports", async () => findStalledImports((await getDatabase()).db, importWatchdogSettings()));
    if (stalled.length === 0) return { restarted: 0 };
    const restarted = await step.run("record-restarts", async () => recordRestarts((await getDatabase()).db, stalled));
    await step.sendEvent(
      "restart-imports",
      stalled.map((item) => {
        const restart = restartEvent(item);
        return contactImportRequested.create(restart.data, { id: restart.id });
      }),
    );
    return { restarted };
  },
);
