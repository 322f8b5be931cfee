import { sql } from "drizzle-orm";
import { date, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const subscriptionStatus = pgEnum("subscription_status", ["subscribed", "unsubscribed"]);

export const contacts = pgTable(
  "contacts",
  {
    // Time-ordered (UUIDv7, migration 0007): new ids land at the right edge of the primary key
    // and of every index that holds them, instead of on random pages, which halves the cost of
    // writing contacts in bulk (bench/import's write floor).
    id: uuid("id").primaryKey().default(sql`uuidv7()`),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Stored lower-cased; the unique index is on lower(email) so a stray upper-case write cannot duplicate. */
    email: text("email"),
    /** E.164, e.g. +14155550123. */
    phone: text("phone"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    locale: text("locale"),
    /** IANA zone, e.g. Europe/Paris. */
    timezone: text("timezone"),
    birthday: date("birthday"),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: subscriptionStatus("status").notNull().default("subscribed"),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("contacts_workspace_email_key").on(t.workspaceId, sql`lower(${t.email})`),
    uniqueIndex("contacts_workspace_phone_key").on(t.workspaceId, t.phone),
    index("contacts_workspace_id_idx").on(t.workspaceId, t.id),
    index("contacts_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
  ],
);
