import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { webhookEvents } from "@/db/schema";

export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type WebhookProvider = "resend" | "twilio" | "whatsapp";

/**
 * Stores a verified webhook once per (provider, delivery id): `created` is false for a
 * redelivery, which the caller acknowledges without emitting anything.
 */
export async function insertWebhookEvent(
  db: Db,
  params: { provider: WebhookProvider; deliveryId: string; type: string; payload: Record<string, unknown> },
): Promise<{ created: boolean }> {
  const rows = await db
    .insert(webhookEvents)
    .values(params)
    .onConflictDoNothing()
    .returning({ deliveryId: webhookEvents.deliveryId });
  return { created: rows.length > 0 };
}

export async function getWebhookEvent(db: Db, params: { provider: WebhookProvider; deliveryId: string }): Promise<WebhookEvent | undefined> {
  const [row] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, params.provider), eq(webhookEvents.deliveryId, params.deliveryId)));
  return row;
}

/** Undoes an insert whose event could not be emitted, so the provider's redelivery counts as new. */
export async function deleteWebhookEvent(db: Db, params: { provider: WebhookProvider; deliveryId: string }): Promise<void> {
  await db.delete(webhookEvents).where(and(eq(webhookEvents.provider, params.provider), eq(webhookEvents.deliveryId, params.deliveryId)));
}

/** A batch's stored webhooks, in one query; ids not stored are simply absent. */
export async function getWebhookEvents(db: Db, params: { provider: WebhookProvider; deliveryIds: string[] }): Promise<WebhookEvent[]> {
  if (params.deliveryIds.length === 0) return [];
  return db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, params.provider), inArray(webhookEvents.deliveryId, params.deliveryIds)));
}
