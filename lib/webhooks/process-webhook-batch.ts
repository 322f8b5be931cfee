import type { Db } from "@/db";
import { getWebhookEvents, type WebhookEvent, type WebhookProvider } from "@/db/queries/webhook-events";
import { type EngagementFact, type RecordedEngagement, recordEngagement } from "@/lib/analytics/record-engagement";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { WebhookPayloadError } from "./message-change";
import { WebhookNotStoredError } from "./webhook-not-stored-error";

/** One webhook's result without its fact (facts go to the stream, not into step output). */
type Applied<R> = R extends { fact?: unknown } ? Omit<R, "fact"> : R;

export type BatchWebhookResult<R> =
  | Applied<R>
  | { deliveryId: string; outcome: "invalid_payload"; error: string };

export type ProcessedWebhookBatch<R> = { results: BatchWebhookResult<R>[]; engagement: RecordedEngagement };

/**
 * Applies a batch of stored webhooks in arrival order, then appends all their engagement facts
 * in one transaction (recordEngagement). Each webhook's own change commits on its own, so a
 * payload no retry can fix is recorded and logged without holding back the rest; any other
 * error (the database went away) propagates and the whole batch is run again, which is safe:
 * statuses only move forward, suppressions are idempotent, facts are deduplicated by key.
 * A delivery id with no stored row had its emit undone (accept-webhook.ts) although the event
 * got through: the provider's redelivery stores the row again but its event (same id) starts no
 * run, so once the others are applied the batch throws WebhookNotStoredError and is retried.
 */
export async function processWebhookBatch<R extends { deliveryId: string; outcome: string; fact?: EngagementFact | null }>(
  db: Db,
  params: { provider: WebhookProvider; deliveryIds: string[] },
  handlers: {
    /** Reads what the whole batch needs at once (its messages), before any webhook is applied. */
    prepare?: (rows: WebhookEvent[]) => Promise<void>;
    apply: (stored: WebhookEvent) => Promise<R>;
  },
): Promise<ProcessedWebhookBatch<R>> {
  const deliveryIds = [...new Set(params.deliveryIds)];
  const rows = await getWebhookEvents(db, { provider: params.provider, deliveryIds });
  await handlers.prepare?.(rows);
  const stored = new Map(rows.map((row) => [row.deliveryId, row]));
  const results: BatchWebhookResult<R>[] = [];
  const facts: EngagementFact[] = [];
  const missing: string[] = [];
  for (const deliveryId of deliveryIds) {
    const row = stored.get(deliveryId);
    if (!row) {
      missing.push(deliveryId);
      continue;
    }
    try {
      const { fact, ...result } = await handlers.apply(row);
      if (fact) facts.push(fact);
      results.push(result as Applied<R>);
    } catch (error) {
      if (!(error instanceof WebhookPayloadError)) throw error;
      logger.warn({ provider: params.provider, deliveryId, type: row.type, err: error }, "webhooks: a stored webhook's payload cannot be applied; skipped");
      results.push({ deliveryId, outcome: "invalid_payload", error: error.message });
    }
  }
  const engagement = await recordEngagement(db, facts);
  const { webhooksProcessed } = metrics();
  for (const result of results) {
    webhooksProcessed.inc({ provider: params.provider, outcome: result.outcome === "unknown_message" || result.outcome === "invalid_payload" ? result.outcome : "applied" });
  }
  if (missing.length > 0) throw new WebhookNotStoredError(params.provider, missing.join(", "));
  return { results, engagement };
}
