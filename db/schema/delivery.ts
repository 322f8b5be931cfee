import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Channel } from "@/core/messages/channels";
import { channel, messages, templates } from "./messaging";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/**
 * A workspace's delivery rules: quiet hours (local wall-clock times, evaluated in the contact's
 * time zone, else `timezone`). No row, or null times: no quiet hours.
 */
export const deliverySettings = pgTable("delivery_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  quietHoursStart: text("quiet_hours_start"),
  quietHoursEnd: text("quiet_hours_end"),
  /** The zone for contacts without one of their own (and for messages to a bare address). */
  timezone: text("timezone").notNull().default("UTC"),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** What a step of a plan sends, and how long it gives the contact to engage before the next. */
export type ChannelPlanStep = {
  channel: Channel;
  templateId?: string;
  subject?: string;
  body?: string;
  /** Seconds to wait for engagement before the next step; the last step waits for nothing. */
  waitSeconds: number;
};

/** What became of a step: its message, and why the plan moved on (or stopped) there. */
export type ChannelPlanProgress = {
  messageId: string | null;
  /** `waiting`: sent, the contact has the step's time to engage; `sent`: the last step, sent. */
  outcome: "waiting" | "engaged" | "not_engaged" | "skipped" | "suppressed" | "failed" | "sent";
  reason?: string;
  at: string;
};

export const channelPlanStatus = pgEnum("channel_plan_status", ["running", "engaged", "completed"]);

/** One notification sent by a channel plan: its steps, and what each step did so far. */
export const channelPlans = pgTable(
  "channel_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The caller's `messageId`: the same id again returns the same plan. */
    idempotencyKey: text("idempotency_key").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    category: text("category"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    steps: jsonb("steps").$type<ChannelPlanStep[]>().notNull(),
    progress: jsonb("progress").$type<ChannelPlanProgress[]>().notNull().default(sql`'[]'::jsonb`),
    status: channelPlanStatus("status").notNull().default("running"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("channel_plans_workspace_idempotency_key").on(t.workspaceId, t.idempotencyKey), index("channel_plans_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id)],
);

export const digestStatus = pgEnum("digest_status", ["pending", "sent", "cancelled"]);

/**
 * Notifications of one category for one contact on one channel, gathered until `flushAt`, then
 * sent as one message (`messageId`). At most one pending digest per key (partial unique index):
 * the row a new item joins.
 */
export const digests = pgTable(
  "digests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    category: text("category").notNull(),
    channel: channel("channel").notNull(),
    status: digestStatus("status").notNull().default("pending"),
    flushAt: timestamp("flush_at", { withTimezone: true, precision: 3 }).notNull(),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("digests_pending_key").on(t.workspaceId, t.contactId, t.category, t.channel).where(sql`${t.status} = 'pending'`),
    index("digests_workspace_status_idx").on(t.workspaceId, t.status, t.createdAt, t.id),
  ],
);

/** One notification waiting in a digest: its content and variables, as the request gave them. */
export const digestItems = pgTable(
  "digest_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    digestId: uuid("digest_id")
      .notNull()
      .references(() => digests.id, { onDelete: "cascade" }),
    /** The caller's `messageId`: the same id again joins nothing new. */
    idempotencyKey: text("idempotency_key").notNull(),
    templateId: uuid("template_id").references(() => templates.id, { onDelete: "set null" }),
    subject: text("subject"),
    body: text("body"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("digest_items_workspace_idempotency_key").on(t.workspaceId, t.idempotencyKey), index("digest_items_digest_idx").on(t.digestId, t.createdAt, t.id)],
);
