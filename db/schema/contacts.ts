import { sql } from "drizzle-orm";
import { check, date, index, jsonb, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    /** The full date, when the year is known. */
    birthday: date("birthday"),
    /**
     * Month and day of every known birthday, with or without a year (core/contacts/birthday-columns.ts):
     * exports from address books often have "--11-23", and birthday automations look contacts up
     * by month and day.
     */
    birthdayMonth: smallint("birthday_month"),
    birthdayDay: smallint("birthday_day"),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: subscriptionStatus("status").notNull().default("subscribed"),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true, precision: 3 }),
    /**
     * Set when an erasure was requested (db/schema/lifecycle.ts): from then on the contact is
     * hidden from every send, list, segment and lookup; a restore within the window clears it.
     */
    erasureRequestedAt: timestamp("erasure_requested_at", { withTimezone: true, precision: 3 }),
    /**
     * Set when a retention policy anonymised the contact (inactive too long): the row and its id
     * stay, so aggregates, campaign recipients and events still add up, but every personal field
     * is null and its messages' recipients and bodies are scrubbed. Never cleared.
     */
    anonymisedAt: timestamp("anonymised_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("contacts_workspace_email_key").on(t.workspaceId, sql`lower(${t.email})`),
    uniqueIndex("contacts_workspace_phone_key").on(t.workspaceId, t.phone),
    index("contacts_workspace_id_idx").on(t.workspaceId, t.id),
    index("contacts_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    // "Whose birthday is on M/D": partial, so contacts without a birthday cost the index nothing.
    index("contacts_workspace_birthday_idx")
      .on(t.workspaceId, t.birthdayMonth, t.birthdayDay)
      .where(sql`${t.birthdayMonth} is not null`),
    // Month and day come together, name a day that exists in some year (29 February included),
    // and agree with the full date when there is one.
    check(
      "contacts_birthday_check",
      sql`(birthday_month is null) = (birthday_day is null)
        and (birthday_month is null or (birthday_month between 1 and 12 and birthday_day between 1 and
             case when birthday_month = 2 then 29 when birthday_month in (4, 6, 9, 11) then 30 else 31 end))
        and (birthday is null or (birthday_month = extract(month from birthday) and birthday_day = extract(day from birthday)))`,
    ),
  ],
);
