import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/** A browser's Web Push subscription (VAPID) or a Firebase Cloud Messaging registration token. */
export const PUSH_SUBSCRIPTION_KINDS = ["web_push", "fcm"] as const;
export const pushSubscriptionKind = pgEnum("push_subscription_kind", PUSH_SUBSCRIPTION_KINDS);

/**
 * One device of a contact that takes push notifications. A push message goes to every row of its
 * contact; a row the push service says is gone (404/410, FCM's UNREGISTERED) is deleted then.
 */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    kind: pushSubscriptionKind("kind").notNull(),
    /**
     * The Web Push endpoint URL, or the FCM registration token: what identifies the device to its
     * push service, so registering it again (a page load re-subscribing) updates this row, and a
     * device handed to another contact (a log-out and log-in) moves with it.
     */
    address: text("address").notNull(),
    /** Web Push only: the browser's P-256 public key and auth secret (base64url), which encrypt the payload. */
    p256dh: text("p256dh"),
    auth: text("auth"),
    /** What the customer calls the device ("Chrome on a Mac"), shown back in the API. */
    label: text("label"),
    /** When the push service last accepted a message for this device. */
    lastSentAt: timestamp("last_sent_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("push_subscriptions_workspace_address_key").on(t.workspaceId, t.kind, t.address),
    index("push_subscriptions_contact_idx").on(t.workspaceId, t.contactId, t.createdAt, t.id),
  ],
);
