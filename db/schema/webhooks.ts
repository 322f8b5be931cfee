import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Every provider webhook accepted, keyed by the provider's delivery id (Svix's `svix-id` for
 * Resend; MessageSid + status for Twilio): a redelivery of the same id is acknowledged and
 * dropped here, before any event is emitted.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    provider: text("provider").notNull(),
    deliveryId: text("delivery_id").notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.deliveryId] }),
    // Retention clears payloads older than a workspace's webhookPayloadDays, walking by age.
    index("webhook_events_received_idx").on(t.receivedAt, t.provider, t.deliveryId),
  ],
);
