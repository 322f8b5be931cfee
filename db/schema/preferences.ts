import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Channel } from "@/core/messages/channels";
import { contacts } from "./contacts";
import { channel } from "./messaging";
import { workspaces } from "./workspaces";

/**
 * A workspace's topics (`security`, `billing`, `product-updates`): what a contact opts in or out
 * of per channel, and what quiet hours, caps and digests are set for. A message names one by
 * its key (`messages.category`); a message without one belongs to no category and follows the
 * contact's channel-wide choices alone.
 */
export const notificationCategories = pgTable(
  "notification_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Stable, used in API calls and on messages: lowercase letters, digits, `-` and `_`. */
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** Security mail and the like: no contact can opt out of it, on any channel. */
    required: boolean("required").notNull().default(false),
    /** Urgent messages go out at once, through quiet hours. */
    urgent: boolean("urgent").notNull().default(false),
    /**
     * The workspace's default per channel for a contact who never chose: a channel missing here
     * is on. `{ "sms": false }` makes SMS opt-in for this category.
     */
    channelDefaults: jsonb("channel_defaults").$type<Partial<Record<Channel, boolean>>>().notNull().default(sql`'{}'::jsonb`),
    /** Delivery rules (lib/delivery/): notifications to one contact gather this long into one digest; null: none. */
    digestWindowSeconds: integer("digest_window_seconds"),
    /** At most `cap_limit` messages per contact and channel of this category per `cap_period_seconds`; null: no cap. */
    capLimit: integer("cap_limit"),
    capPeriodSeconds: integer("cap_period_seconds"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notification_categories_workspace_key").on(t.workspaceId, t.key),
    index("notification_categories_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
  ],
);

/** Who wrote a contact's choice: the API, the contact on the preference center, or an unsubscribe. */
export const preferenceSource = pgEnum("preference_source", ["api", "preference_center", "unsubscribe"]);

/**
 * A contact's own choices, one row per contact × channel × category; a row without a category is
 * the contact's channel-wide choice (every category of that channel, and uncategorised messages).
 * A cell with no row follows the workspace default (core/preferences/effective-preference.ts).
 * Deleting a category or a contact deletes its choices.
 */
export const contactPreferences = pgTable(
  "contact_preferences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    channel: channel("channel").notNull(),
    /** Null: the channel-wide choice. */
    categoryId: uuid("category_id").references(() => notificationCategories.id, { onDelete: "cascade" }),
    enabled: boolean("enabled").notNull(),
    source: preferenceSource("source").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // NULLS NOT DISTINCT: one channel-wide row per contact and channel, like one row per category.
    unique("contact_preferences_cell_key").on(t.contactId, t.channel, t.categoryId).nullsNotDistinct(),
    index("contact_preferences_category_idx").on(t.categoryId),
  ],
);
