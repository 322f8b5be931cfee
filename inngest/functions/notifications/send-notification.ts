import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { notificationSendRequested } from "@/inngest/events";
import { deliverNotificationBatch, type MessageRef } from "@/lib/notifications/deliver-notification-batch";
import { failNotification } from "@/lib/notifications/fail-notification";
import { notificationPacing, reserveNotificationSlot } from "@/lib/notifications/notification-pacing";
import { stepError } from "@/lib/providers/step-error";
import { createProviders } from "@/lib/providers/create-providers";
import { waitUntil } from "@/lib/providers/take-send-slot";

/** One provider batch call's worth (Resend takes at most 100 emails per call). */
const BATCH_MAX_MESSAGES = 100;
/** A slot further away than this is slept for durably (step.sleepUntil) rather than in a step. */
const INLINE_WAIT_MS = 3_000;
/** How long one step may spend pacing SMS before handing the rest to the next step. */
const SMS_STEP_MS = 20_000;
/** Rate-limit rounds before the run gives up; each waits as long as the provider asked. */
const MAX_ROUNDS = 50;

/**
 * Transactional messages, sent in batches per channel: events gathered for up to a second (a
 * lone message leaves within about that) or until a provider call is full, then one paced call
 * for up to 100 emails, each SMS paced at its sender. The slot at the provider is taken first,
 * in its own step, so a burst longer than the provider's capacity waits durably in the queue
 * instead of hammering the provider with 429s; a 429 that comes anyway waits as asked and tries
 * again, and is never a failure. At-most-once per message comes from the claim and the provider
 * idempotency key of its call (deliver-notification-batch.ts); a run that exhausts its retries
 * hands its messages to the dead letters (failNotification).
 */
export const sendNotification = inngest.createFunction(
  {
    id: "send-notification",
    triggers: [notificationSendRequested],
    batchEvents: { maxSize: BATCH_MAX_MESSAGES, timeout: "1s", key: "event.data.channel" },
    retries: 8,
    onFailure: async ({ event, error }) => {
      const { db } = await getDatabase();
      // Inngest's failure event carries a batch's events next to its first (executor finalize.go);
      // the SDK's type names only the first.
      const { events } = event.data as { events?: (typeof event.data.event)[] };
      for (const { data } of events?.length ? events : [event.data.event]) {
        await failNotification(db, { workspaceId: data.workspaceId, messageId: data.messageId }, error);
      }
    },
  },
  async ({ events, step, attempt }) => {
    const requests = uniqueRequests(events.map((e) => e.data));
    let last;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const slot = await step.run(`take-send-slot-${round}`, async () => {
        const { db } = await getDatabase();
        try {
          const at = await reserveNotificationSlot(db, createProviders(db), requests);
          return at ? { at: at.toISOString(), sleep: at.getTime() - Date.now() > INLINE_WAIT_MS } : null;
        } catch (error) {
          // An unconfigured channel stops the run here: retries cannot fix it.
          throw stepError(error);
        }
      });
      if (slot?.sleep) await step.sleepUntil(`wait-for-send-slot-${round}`, new Date(slot.at));
      last = await step.run(`send-messages-${round}`, async () => {
        const { db } = await getDatabase();
        const providers = createProviders(db);
        if (slot) await waitUntil(new Date(slot.at));
        try {
          return await deliverNotificationBatch(db, providers, {
            requests,
            attempt: attempt + 1,
            pacing: notificationPacing(db, providers, Date.now() + SMS_STEP_MS),
          });
        } catch (error) {
          throw stepError(error);
        }
      });
      if (last.retryAt) await step.sleepUntil(`wait-for-rate-limit-${round}`, new Date(last.retryAt));
      else if (!last.more) return last;
    }
    return last;
  },
);

/** A replayed or repeated event names a message once per run. */
function uniqueRequests(requests: MessageRef[]): MessageRef[] {
  const seen = new Map<string, MessageRef>();
  for (const request of requests) if (!seen.has(request.messageId)) seen.set(request.messageId, { workspaceId: request.workspaceId, messageId: request.messageId });
  return [...seen.values()];
}
