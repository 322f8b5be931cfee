import { getDatabase } from "@/db";
import { getDigest } from "@/db/queries/digests";
import { deliveryEvent } from "@/inngest/delivery-event";
import { inngest } from "@/inngest/client";
import { digestCancelled, digestFlushRequested, digestOpened } from "@/inngest/events";
import { deliveryPath } from "@/lib/delivery/delivery-rules";
import { flushDigest } from "@/lib/delivery/flush-digest";

/**
 * One digest's window: opened by its first notification (one run per digest, by event id), it
 * waits until the category's window has passed, or for a flush asked through the API (a
 * waitForEvent whose timeout is the window's end), then sends the gathered notifications as one
 * message on the usual path (through the delivery rules when quiet hours or a cap apply). A
 * cancel through the API closes the digest and ends the run (cancelOn).
 *
 * Why not `debounce` or `batchEvents` keyed on contact + category: their windows are fixed in the
 * function's configuration, where a digest's window is the category's setting, and neither can
 * be flushed or cancelled by id. The grouping key is kept by the database instead (one pending
 * digest per contact, category and channel), and the run per digest is the window.
 */
export const collectDigest = inngest.createFunction(
  {
    id: "collect-digest",
    triggers: [digestOpened],
    cancelOn: [{ event: digestCancelled, match: "data.digestId" }],
    retries: 8,
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, digestId: event.data.digestId };
    const window = await step.run("load-digest", async () => {
      const { db } = await getDatabase();
      const digest = await getDigest(db, ids);
      // A flush asked before this run began set flush_at to then: nothing to wait for.
      // The wait's timeout as a duration, counted here so a replay waits the same.
      return digest?.status === "pending" ? { waitSeconds: Math.max(0, Math.ceil((digest.flushAt.getTime() - Date.now()) / 1000)) } : null;
    });
    if (!window) return { skipped: "not pending" };
    if (window.waitSeconds > 0) {
      await step.waitForEvent("wait-for-flush", { event: digestFlushRequested, if: `async.data.digestId == '${ids.digestId}'`, timeout: `${window.waitSeconds}s` });
    }
    const flushed = await step.run("flush-digest", async () => {
      const { db } = await getDatabase();
      const outcome = await flushDigest(db, ids);
      if ("skipped" in outcome) return outcome;
      const { message } = outcome;
      return { message: { id: message.id, workspaceId: message.workspaceId, idempotencyKey: message.idempotencyKey, channel: message.channel, contactId: message.contactId }, path: await deliveryPath(db, message, false) };
    });
    if ("skipped" in flushed) return flushed;
    await step.sendEvent("send-digest", deliveryEvent(flushed.path, flushed.message));
    return { messageId: flushed.message.id };
  },
);
