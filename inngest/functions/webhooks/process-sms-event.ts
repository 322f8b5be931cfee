import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { providerWebhookReceived } from "@/inngest/events";
import { WebhookPayloadError } from "@/lib/webhooks/message-change";
import { processTwilioWebhook } from "@/lib/webhooks/process-twilio-webhook";

/**
 * One Twilio webhook: a status callback (queued, sent, delivered, undelivered, failed) moves its
 * message forward only; an inbound STOP/START changes consent in every workspace that texted
 * the number. A status for an unknown message is logged and dropped.
 */
export const processSmsEvent = inngest.createFunction(
  {
    id: "process-sms-event",
    triggers: [{ event: providerWebhookReceived, if: "event.data.provider == 'twilio'" }],
    retries: 5,
  },
  async ({ event, step, logger }) => {
    if (event.data.provider !== "twilio") return { outcome: "ignored" as const, reason: "not a Twilio webhook" };
    const result = await step.run("apply-sms-event", async () => {
      try {
        return await processTwilioWebhook((await getDatabase()).db, { deliveryId: event.data.deliveryId, actor: "function:process-sms-event" });
      } catch (error) {
        if (error instanceof WebhookPayloadError) throw new NonRetriableError(error.message);
        throw error;
      }
    });
    if (result.outcome === "unknown_message") logger.warn(`Twilio status ${result.deliveryId} names no known message: ${result.providerMessageId}`);
    return result;
  },
);
