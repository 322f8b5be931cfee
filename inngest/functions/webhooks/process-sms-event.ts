import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { providerWebhookReceived } from "@/inngest/events";
import { processTwilioWebhooks } from "@/lib/webhooks/process-twilio-webhook";
import { WEBHOOK_BATCH } from "@/lib/webhooks/webhook-batch";

/**
 * Twilio webhooks, a batch per run and one step per batch, in arrival order: a status callback
 * (queued, sent, delivered, undelivered, failed, read) moves its message forward only and feeds
 * the engagement stream; an inbound STOP/START changes consent in every workspace that texted
 * the number. A status for an unknown message, or a payload Twilio never sends, is reported
 * and logged without failing the batch's other webhooks.
 */
export const processSmsEvent = inngest.createFunction(
  {
    id: "process-sms-event",
    triggers: [{ event: providerWebhookReceived, if: "event.data.provider == 'twilio'" }],
    batchEvents: WEBHOOK_BATCH,
    retries: 5,
  },
  async ({ events, step, logger }) => {
    const deliveryIds = events.filter((event) => event.data.provider === "twilio").map((event) => event.data.deliveryId);
    if (deliveryIds.length === 0) return { webhooks: 0, results: [], engagement: { recorded: 0, duplicates: 0, unknownMessages: 0 } };
    const { results, engagement } = await step.run("apply-sms-events", async () =>
      processTwilioWebhooks((await getDatabase()).db, { deliveryIds, actor: "function:process-sms-event" }),
    );
    for (const result of results) {
      if (result.outcome === "unknown_message") logger.warn(`Twilio status ${result.deliveryId} names no known message: ${result.providerMessageId}`);
    }
    return { webhooks: deliveryIds.length, results, engagement };
  },
);
