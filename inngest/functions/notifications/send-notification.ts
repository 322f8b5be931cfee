import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { notificationSendRequested } from "@/inngest/events";
import { PublicError } from "@/lib/errors/public-error-message";
import { deliverMessage, UndeliverableError } from "@/lib/notifications/deliver-message";
import { failNotification } from "@/lib/notifications/fail-notification";
import { stepError } from "@/lib/providers/step-error";
import { createProviders } from "@/lib/providers/create-providers";

/**
 * One transactional message: render, check suppression, send once, record. A single step on
 * purpose: rendering and sending share the message row, and the outcome is all later code
 * needs. At-most-once comes from the message row's status and the provider idempotency key,
 * so retries and replays of this run never send twice.
 */
export const sendNotification = inngest.createFunction(
  {
    id: "send-notification",
    triggers: [notificationSendRequested],
    retries: 5,
    // One workspace's burst of notifications cannot occupy every worker slot.
    concurrency: [{ key: "event.data.workspaceId", limit: 10 }],
    // Transactional mail outranks campaign chunks queued at the same time.
    priority: { run: "60" },
    onFailure: async ({ event, error }) => {
      const { workspaceId, messageId } = event.data.event.data;
      await failNotification((await getDatabase()).db, { workspaceId, messageId }, error);
    },
  },
  async ({ event, step, attempt }) => {
    const result = await step.run("send-message", async () => {
      const { db } = await getDatabase();
      const providers = createProviders(db);
      try {
        return await deliverMessage(db, providers, { ...event.data, attempt: attempt + 1 });
      } catch (error) {
        throw stepError(error, (cause) => cause instanceof UndeliverableError);
      }
    });
    if (result.outcome === "failed") throw new NonRetriableError(result.error, { cause: new PublicError(result.error) });
    return result;
  },
);
