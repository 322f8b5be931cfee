import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { providerWebhookReceived } from "@/inngest/events";
import { WebhookPayloadError } from "@/lib/webhooks/message-change";
import { processResendWebhook } from "@/lib/webhooks/process-resend-webhook";

/**
 * One Resend webhook (email.sent … email.failed) applied to its message: status forward only,
 * hard bounces and complaints suppressed, complaints unsubscribe, opens and clicks counted.
 * Campaign stats read the messages rows, so nothing else needs updating. A webhook for an
 * unknown message is logged and dropped: retrying will not make it known.
 */
export const processEmailEvent = inngest.createFunction(
  {
    id: "process-email-event",
    triggers: [{ event: providerWebhookReceived, if: "event.data.provider == 'resend'" }],
    retries: 5,
  },
  async ({ event, step, logger }) => {
    // The trigger's expression already filters; this guards a server that ignores it.
    if (event.data.provider !== "resend") return { outcome: "ignored" as const, reason: "not a Resend webhook" };
    const result = await step.run("apply-email-event", async () => {
      try {
        return await processResendWebhook((await getDatabase()).db, { deliveryId: event.data.deliveryId, actor: "function:process-email-event" });
      } catch (error) {
        if (error instanceof WebhookPayloadError) throw new NonRetriableError(error.message);
        throw error;
      }
    });
    if (result.outcome === "unknown_message") logger.warn(`Resend webhook ${result.deliveryId} (${result.type}) names no known message: ${result.providerMessageId}`);
    return result;
  },
);
