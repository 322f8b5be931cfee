import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { providerWebhookReceived } from "@/inngest/events";
import { processResendWebhooks } from "@/lib/webhooks/process-resend-webhook";
import { WEBHOOK_BATCH } from "@/lib/webhooks/webhook-batch";

/**
 * Resend webhooks (email.sent … email.failed), a batch per run and one step per batch: each
 * applied to its message (status forward only, hard bounces and complaints suppressed,
 * complaints unsubscribe), then every engagement fact of the batch appended to the stream and
 * rolled up in one transaction. Two executions per up to 100 webhooks, where one run of two
 * steps each made 3,000 per 1,000. A webhook naming no known message, or with a payload Resend
 * never sends, is reported in the output and logged without failing the others; a database
 * error retries the step, which repeats nothing (forward-only statuses, deduplicated facts).
 */
export const processEmailEvent = inngest.createFunction(
  {
    id: "process-email-event",
    triggers: [{ event: providerWebhookReceived, if: "event.data.provider == 'resend'" }],
    batchEvents: WEBHOOK_BATCH,
    retries: 5,
  },
  async ({ events, step, logger }) => {
    // The trigger's expression already filters; this guards a server that ignores it.
    const deliveryIds = events.filter((event) => event.data.provider === "resend").map((event) => event.data.deliveryId);
    if (deliveryIds.length === 0) return { webhooks: 0, results: [], engagement: { recorded: 0, duplicates: 0, unknownMessages: 0 } };
    const { results, engagement } = await step.run("apply-email-events", async () =>
      processResendWebhooks((await getDatabase()).db, { deliveryIds, actor: "function:process-email-event" }),
    );
    for (const result of results) {
      if (result.outcome === "unknown_message") logger.warn(`Resend webhook ${result.deliveryId} (${result.type}) names no known message: ${result.providerMessageId}`);
    }
    return { webhooks: deliveryIds.length, results, engagement };
  },
);
