import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { messages } from "./messaging";
import { workspaces } from "./workspaces";

/**
 * A contact's in-app inbox: one row per `in_app` message delivered to it. The row is the
 * delivery (Sendline's own inbox store is the channel's provider), so it keeps what the feed
 * shows (title, body, action URL, data) and the contact's state of it: seen (shown in an open
 * inbox), read (opened or marked read) and archived. `updated_at` moves on every change of
 * state: the live stream reads "what changed since" along its index (docs/DESIGN.md, "In-app inbox").
 */
export const inboxMessages = pgTable(
  "inbox_messages",
  {
    // Time-ordered (UUIDv7, as contacts): new rows land at the right edge of every index.
    id: uuid("id").primaryKey().default(sql`uuidv7()`),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    /** The `messages` row this delivers; unique, so a retried send stores it once. */
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    /** The provider idempotency key the message was stored under (a replayed key answers the first row). */
    idempotencyKey: text("idempotency_key").notNull(),
    category: text("category"),
    title: text("title"),
    body: text("body").notNull(),
    actionUrl: text("action_url"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    seenAt: timestamp("seen_at", { withTimezone: true, precision: 3 }),
    readAt: timestamp("read_at", { withTimezone: true, precision: 3 }),
    archivedAt: timestamp("archived_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("inbox_messages_workspace_idempotency_key").on(t.workspaceId, t.idempotencyKey),
    uniqueIndex("inbox_messages_message_idx").on(t.messageId),
    // The feed, newest first, and its keyset cursor.
    index("inbox_messages_feed_idx").on(t.workspaceId, t.contactId, t.createdAt, t.id),
    // The live stream's "changed since" probe, paged along (updated_at, id).
    index("inbox_messages_changes_idx").on(t.workspaceId, t.contactId, t.updatedAt, t.id),
    // The unread count reads only unread, unarchived rows; partial, so read mail costs it nothing.
    index("inbox_messages_unread_idx")
      .on(t.workspaceId, t.contactId)
      .where(sql`${t.readAt} is null and ${t.archivedAt} is null`),
  ],
);

/**
 * A workspace's inbox signing secret: the key of the per-contact HMAC tokens its backend mints
 * for the feed API (`hex(hmac_sha256(secret, contactId))`). Created on first use; rotating it
 * invalidates every token at once.
 */
export const inboxSettings = pgTable("inbox_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  signingSecret: text("signing_secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  rotatedAt: timestamp("rotated_at", { withTimezone: true, precision: 3 }),
});
