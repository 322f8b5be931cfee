import { bigserial, boolean, date, doublePrecision, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { BOUNCE_KINDS, ENGAGEMENT_SOURCES, ENGAGEMENT_TYPES, MACHINE_REASONS } from "@/core/analytics/engagement";
import { contacts } from "./contacts";
import { channel } from "./messaging";
import { workspaces } from "./workspaces";

export const engagementType = pgEnum("engagement_type", ENGAGEMENT_TYPES);
export const engagementSource = pgEnum("engagement_source", ENGAGEMENT_SOURCES);
export const machineReason = pgEnum("machine_reason", MACHINE_REASONS);
export const bounceKind = pgEnum("bounce_kind", BOUNCE_KINDS);

/**
 * Every sent, delivered, opened, clicked, bounced, complained, unsubscribed and seen, one row
 * each, appended and never updated: the rollups below are kept from it, and can be rebuilt from
 * it. No foreign key to messages: the stream outlives a message (erasure anonymises, it does not
 * rewrite history). No IP address is stored; the user agent is kept only as what it parses to.
 */
export const engagementEvents = pgTable(
  "engagement_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: uuid("message_id"),
    campaignId: uuid("campaign_id"),
    contactId: uuid("contact_id"),
    channel: channel("channel").notNull(),
    type: engagementType("type").notNull(),
    source: engagementSource("source").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Unique per workspace: what makes a redelivery, a replay or a retried batch insert nothing. */
    dedupeKey: text("dedupe_key").notNull(),
    /** Null: a person. Otherwise why it was a machine (and is not counted as a human open/click). */
    machine: machineReason("machine"),
    url: text("url"),
    recipientDomain: text("recipient_domain"),
    bounceKind: bounceKind("bounce_kind"),
    client: text("client"),
    device: text("device"),
    os: text("os"),
    firstOpen: boolean("first_open").notNull().default(false),
    firstClick: boolean("first_click").notNull().default(false),
  },
  (t) => [
    uniqueIndex("engagement_events_dedupe_key").on(t.workspaceId, t.dedupeKey),
    index("engagement_events_workspace_occurred_idx").on(t.workspaceId, t.occurredAt),
    index("engagement_events_campaign_occurred_idx").on(t.campaignId, t.occurredAt),
    index("engagement_events_message_idx").on(t.messageId),
    // Retention's inactivity test: a contact's latest engagement.
    index("engagement_events_contact_occurred_idx").on(t.contactId, t.occurredAt),
  ],
);

/** The counters every rollup keeps (core/analytics/engagement.ts ENGAGEMENT_COUNTERS, same order). */
const counters = () => ({
  sent: integer("sent").notNull().default(0),
  delivered: integer("delivered").notNull().default(0),
  opened: integer("opened").notNull().default(0),
  uniqueOpened: integer("unique_opened").notNull().default(0),
  machineOpened: integer("machine_opened").notNull().default(0),
  clicked: integer("clicked").notNull().default(0),
  uniqueClicked: integer("unique_clicked").notNull().default(0),
  machineClicked: integer("machine_clicked").notNull().default(0),
  bounced: integer("bounced").notNull().default(0),
  hardBounced: integer("hard_bounced").notNull().default(0),
  complained: integer("complained").notNull().default(0),
  unsubscribed: integer("unsubscribed").notNull().default(0),
});

/**
 * A campaign's counters per UTC hour. Days are sums of hours, which is what lets a day be read
 * in any time zone (a stored UTC day would be wrong for every workspace that is not on UTC).
 */
export const campaignStatsHourly = pgTable(
  "campaign_stats_hourly",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").notNull(),
    hour: timestamp("hour", { withTimezone: true, precision: 3 }).notNull(),
    ...counters(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.hour] }), index("campaign_stats_hourly_workspace_idx").on(t.workspaceId, t.hour)],
);

/** Everything a workspace sent, per UTC day and channel (campaigns and transactional alike). */
export const workspaceStatsDaily = pgTable(
  "workspace_stats_daily",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    channel: channel("channel").notNull(),
    ...counters(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.channel] })],
);

/** Clicks per link, per campaign (null: transactional messages). */
export const linkStats = pgTable(
  "link_stats",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id"),
    url: text("url").notNull(),
    clicked: integer("clicked").notNull().default(0),
    uniqueClicked: integer("unique_clicked").notNull().default(0),
    machineClicked: integer("machine_clicked").notNull().default(0),
    lastClickedAt: timestamp("last_clicked_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [unique("link_stats_key").on(t.workspaceId, t.campaignId, t.url).nullsNotDistinct()],
);

/** Deliverability by mailbox provider: counters per recipient domain, per campaign (null: transactional). */
export const domainStats = pgTable(
  "domain_stats",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id"),
    domain: text("domain").notNull(),
    ...counters(),
  },
  (t) => [unique("domain_stats_key").on(t.workspaceId, t.campaignId, t.domain).nullsNotDistinct()],
);

/**
 * One row per contact who ever engaged: the score (core/analytics/engagement-score.ts) as it
 * stood at `scoredAt`, and the last human open/click. Segments read it ("engaged in the last 30
 * days", "score above 2").
 */
export const contactEngagement = pgTable(
  "contact_engagement",
  {
    contactId: uuid("contact_id")
      .primaryKey()
      .references(() => contacts.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    score: doublePrecision("score").notNull().default(0),
    scoredAt: timestamp("scored_at", { withTimezone: true, precision: 3 }).notNull(),
    lastOpenedAt: timestamp("last_opened_at", { withTimezone: true, precision: 3 }),
    lastClickedAt: timestamp("last_clicked_at", { withTimezone: true, precision: 3 }),
    lastEngagedAt: timestamp("last_engaged_at", { withTimezone: true, precision: 3 }),
    opens: integer("opens").notNull().default(0),
    clicks: integer("clicks").notNull().default(0),
  },
  (t) => [index("contact_engagement_workspace_engaged_idx").on(t.workspaceId, t.lastEngagedAt)],
);
