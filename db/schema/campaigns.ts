import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { AbOutcome } from "@/core/ab-tests/ab-test";
import type { AbTestConfig } from "@/core/campaigns/ab-test";
import type { CampaignChannel } from "@/core/messages/channels";
import { channel, templates } from "./messaging";
import { workspaces } from "./workspaces";

/**
 * draft → scheduled → sending ⇄ paused → sent | cancelled | failed. Every transition is one
 * conditional UPDATE (db/queries/campaigns.ts), so two callers can never both move a campaign.
 */
export const campaignStatus = pgEnum("campaign_status", ["draft", "scheduled", "sending", "paused", "sent", "cancelled", "failed"]);

/** An A/B test's result as recorded with its winner: each variant's counts, then the outcome. */
export type AbRecordedResult = AbOutcome & { metric: AbTestConfig["metric"]; variants: { variant: number; sent: number; conversions: number }[] };

/** Who a campaign goes to: a static list or a saved segment, resolved when sending starts. */
export type CampaignAudience = { listId: string } | { segmentId: string };

export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Campaigns go out on email or SMS (the campaign request refuses the other channels). */
    channel: channel("channel").$type<CampaignChannel>().notNull(),
    templateId: uuid("template_id")
      .notNull()
      .references(() => templates.id, { onDelete: "restrict" }),
    audience: jsonb("audience").$type<CampaignAudience>().notNull(),
    /** A workspace category's key: recipients who opted out of it on this channel are skipped. */
    category: text("category"),
    /** Email: the From address. SMS: the sender (number or alphanumeric id); null = provider default. */
    fromAddress: text("from_address"),
    replyTo: text("reply_to"),
    sendAt: timestamp("send_at", { withTimezone: true, precision: 3 }),
    /**
     * "HH:MM": deliver at this wall-clock time in each recipient's time zone (the workspace's
     * delivery-settings zone when unknown) on the day of `sendAt` (or the next such time), sent
     * grouped by zone. Null: everyone at `sendAt`.
     */
    localSendTime: text("local_send_time"),
    /**
     * An A/B test (core/campaigns/ab-test.ts): its variants go to a sample of the audience, and
     * once its window after `startedAt` is over the winner goes to everyone else. Null: no test.
     */
    abTest: jsonb("ab_test").$type<AbTestConfig>(),
    /**
     * The test's winner (a variant index), written once by a conditional UPDATE (… WHERE
     * ab_winner IS NULL), so a replay, a retry or a second picker never picks another one; with
     * each variant's counts and the significance as they were when it was picked.
     */
    abWinner: integer("ab_winner"),
    abResult: jsonb("ab_result").$type<AbRecordedResult>(),
    /** "window": picked when the window ended; "manual": picked early by a person. */
    abDecidedBy: text("ab_decided_by"),
    abDecidedAt: timestamp("ab_decided_at", { withTimezone: true, precision: 3 }),
    status: campaignStatus("status").notNull().default("draft"),
    /** Why it failed, was cancelled or cannot start (e.g. not enough credits). */
    statusReason: text("status_reason"),
    /**
     * Bumped by every schedule, reschedule and cancel: a schedule-campaign run carries the
     * value it was started with and sends nothing once it no longer matches.
     */
    scheduleVersion: integer("schedule_version").notNull().default(0),
    /** The provider account chunks are throttled on, chosen when sending starts. */
    providerAccount: text("provider_account"),
    /** Recipients snapshotted when sending started, and the chunks they were cut into. */
    audienceCount: integer("audience_count"),
    chunkCount: integer("chunk_count"),
    /** Set whenever a chunk reports; the watchdog looks for sending campaigns where it stalls. */
    progressAt: timestamp("progress_at", { withTimezone: true, precision: 3 }),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("campaigns_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("campaigns_status_progress_idx").on(t.status, t.progressAt),
  ],
);

export const campaignChunkStatus = pgEnum("campaign_chunk_status", ["pending", "done"]);

/** One fan-out unit of ~1,000 recipients; `done` once every recipient in it has an outcome. */
export const campaignChunks = pgTable(
  "campaign_chunks",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    chunk: integer("chunk").notNull(),
    recipients: integer("recipients").notNull(),
    status: campaignChunkStatus("status").notNull().default("pending"),
    /** How many times the chunk event was emitted (1, plus one per watchdog re-emit). */
    emits: integer("emits").notNull().default(0),
    emittedAt: timestamp("emitted_at", { withTimezone: true, precision: 3 }),
    doneAt: timestamp("done_at", { withTimezone: true, precision: 3 }),
    /**
     * Local-time campaigns (campaigns.local_send_time): the time zone of every recipient in the
     * chunk, and the instant the chunk may be sent (that zone's local time). Nothing emits the
     * chunk before it — not the fan-out, a resume or the watchdog. Null: released at the start.
     */
    zone: text("zone"),
    releaseAt: timestamp("release_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.chunk] })],
);

export const campaignRecipientStatus = pgEnum("campaign_recipient_status", ["pending", "sent", "suppressed", "failed"]);

/**
 * The audience snapshot: who the campaign goes to, fixed when sending starts, so contacts added
 * mid-send are not picked up and a retried chunk re-reads exactly the same people. No foreign key
 * to contacts: an erased contact's row stays (and is counted suppressed) so the counts still add up.
 */
export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
    chunk: integer("chunk").notNull(),
    status: campaignRecipientStatus("status").notNull().default("pending"),
    messageId: uuid("message_id"),
    /**
     * An A/B campaign's test sample: the variant (0-based) this recipient gets. Null: not in the
     * sample (or no test) — such a recipient gets the winner once it is picked.
     */
    variant: integer("variant"),
    /** Why a recipient was suppressed or failed. */
    reason: text("reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.contactId] }), index("campaign_recipients_chunk_idx").on(t.campaignId, t.chunk)],
);

export const creditEntryKind = pgEnum("credit_entry_kind", ["grant", "reserve", "release"]);

/**
 * A workspace's credits as an append-only ledger; the balance is the sum of `amount`. Sending a
 * campaign reserves its audience (negative), finalize/cancel/the watchdog release what was not
 * used (positive). One reserve and one release per campaign, enforced by the unique index, so a
 * retried step can never reserve or release twice.
 */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: creditEntryKind("kind").notNull(),
    amount: integer("amount").notNull(),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    /** Reservations only: after this the watchdog releases what is still held. */
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("credit_ledger_workspace_idx").on(t.workspaceId),
    uniqueIndex("credit_ledger_campaign_kind_key").on(t.campaignId, t.kind).where(sql`${t.campaignId} IS NOT NULL`),
  ],
);

/**
 * One row per provider account: the earliest moment its next request may go out. Every sender
 * (any chunk run, any process) takes its slot with one atomic UPDATE, so however many chunks
 * run at once the provider never sees more than its configured rate.
 */
export const providerPacing = pgTable("provider_pacing", {
  account: text("account").primaryKey(),
  nextAt: timestamp("next_at", { withTimezone: true, precision: 3 }).notNull(),
});
