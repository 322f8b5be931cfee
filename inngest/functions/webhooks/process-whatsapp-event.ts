import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { providerWebhookReceived } from "@/inngest/events";
import { processWhatsAppWebhooks } from "@/lib/webhooks/process-whatsapp-webhook";
import { WEBHOOK_BATCH } from "@/lib/webhooks/webhook-batch";

/**
 * WhatsApp Cloud API notifications, a batch per run and one step per batch, in arrival order:
 * a status (sent, delivered, read, failed) moves its message forward only and feeds the
 * engagement stream; an inbound message opens the contact's 24-hour window, and a STOP
 * withdraws the opt-in. An unknown message or a malformed payload is reported and logged
 * without failing the batch's other notifications.
 */
export const processWhatsAppEvent = inngest.createFunction(
  {
    id: "process-whatsapp-event",
    triggers: [{ event: providerWebhookReceived, if: "event.data.provider == 'whatsapp'" }],
    batchEvents: WEBHOOK_BATCH,
    retries: 5,
  },
  async ({ events, step, logger }) => {
    const deliveryIds = events.filter((event) => event.data.provider === "whatsapp").map((event) => event.data.deliveryId);
    if (deliveryIds.length === 0) return { webhooks: 0, results: [], engagement: { recorded: 0, duplicates: 0, unknownMessages: 0 } };
    const { results, engagement } = await step.run("apply-whatsapp-events", async () =>
      processWhatsAppWebhooks((await getDatabase()).db, { deliveryIds, actor: "function:process-whatsapp-event" }),
    );
    for (const result of results) {
      if (result.outcome === "unknown_message") logger.warn(`WhatsApp status ${result.deliveryId} names no known message: ${result.providerMessageId}`);
    }
    return { webhooks: deliveryIds.length, results, engagement };
  },
);
