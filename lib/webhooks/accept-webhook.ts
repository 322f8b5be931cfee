import type { Db } from "@/db";
import { deleteWebhookEvent, insertWebhookEvent, type WebhookProvider } from "@/db/queries/webhook-events";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** What the webhook's event carries (its storage key) and its id; the caller builds and sends the event. */
export type WebhookEvent = { data: { provider: WebhookProvider; deliveryId: string }; id: string };

/** Inngest de-duplicates events by id (24 h), so a second emit for one delivery starts no second run. */
export function webhookEventId(provider: WebhookProvider, deliveryId: string): string {
  return `webhook-${provider}-${deliveryId}`;
}

/** The event could not be handed to Inngest; the caller answers 5xx so the provider redelivers. */
export class WebhookEmitError extends Error {
  override readonly name = "WebhookEmitError";
}

/**
 * Store, then emit. A redelivery of a stored webhook is acknowledged and emits nothing. When the
 * emit fails, the row is removed again before the caller answers 5xx, so the provider's
 * redelivery is treated as new and emitted then, rather than swallowed as a duplicate of a
 * webhook whose event never went out.
 */
export async function acceptWebhook(
  db: Db,
  webhook: { provider: WebhookProvider; deliveryId: string; type: string; payload: Record<string, unknown> },
  send: (event: WebhookEvent) => Promise<unknown>,
): Promise<"accepted" | "duplicate"> {
  const { webhookEvents } = metrics();
  const { created } = await insertWebhookEvent(db, webhook);
  if (!created) {
    webhookEvents.inc({ provider: webhook.provider, outcome: "duplicate" });
    return "duplicate";
  }
  const key = { provider: webhook.provider, deliveryId: webhook.deliveryId };
  try {
    await send({ data: key, id: webhookEventId(webhook.provider, webhook.deliveryId) });
  } catch (error) {
    try {
      await deleteWebhookEvent(db, key);
    } catch (cleanup) {
      // The row stays: redeliveries are then acknowledged without an event, and only the
      // refresh cron (status) will notice. Loud, because an inbound STOP could be lost.
      logger.error({ err: cleanup, ...key }, "webhooks: could not remove a webhook whose event failed; redeliveries will be dropped");
    }
    webhookEvents.inc({ provider: webhook.provider, outcome: "emit_failed" });
    throw new WebhookEmitError(`Could not emit the ${webhook.provider} webhook event: ${(error as Error).message}`);
  }
  webhookEvents.inc({ provider: webhook.provider, outcome: "accepted" });
  return "accepted";
}
