import { getDatabase } from "@/db";
import { getErasure, markErasureWaiting } from "@/db/queries/erasures";
import { inngest } from "@/inngest/client";
import { erasureDue, erasureRequested, erasureRestored } from "@/inngest/events";
import { logger } from "@/lib/observability/logger";

/**
 * An erasure's recovery window: sleeps until it ends (a durable sleep, so days of waiting cost
 * nothing), unless a restore cancels the run first (cancelOn, matched on the erasure). Then
 * marks the erasure `waiting` — only if it is still pending and its window has passed, under
 * the same lock a restore takes, so a restore that lands meanwhile wins cleanly — and hands it
 * to execute-erasure, whose throttle decides when its turn comes.
 */
export const eraseAfterWindow = inngest.createFunction(
  {
    id: "erase-after-window",
    triggers: [erasureRequested],
    cancelOn: [{ event: erasureRestored, match: "data.erasureId" }],
    retries: 8,
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, erasureId: event.data.erasureId };
    const eraseAfter = await step.run("load-erasure", async () => {
      const erasure = await getErasure((await getDatabase()).db, ids);
      return erasure?.status === "pending" ? erasure.eraseAfter.toISOString() : null;
    });
    if (!eraseAfter) return { skipped: "no pending erasure with this id in this workspace" };

    await step.sleepUntil("wait-for-recovery-window", new Date(eraseAfter));

    // Re-read after the sleep: a restore may have come without cancelling (the event was lost).
    const due = await step.run("close-recovery-window", async () => markErasureWaiting((await getDatabase()).db, { ...ids, at: new Date() }));
    if (!due) return { skipped: "restored, or no longer pending, when the window ended" };
    logger.info({ ...ids }, "erasure: recovery window ended; waiting for its turn");
    await step.sendEvent("hand-to-execution", erasureDue.create(ids, { id: `erasure-due-${ids.erasureId}` }));
    return { due: true };
  },
);
