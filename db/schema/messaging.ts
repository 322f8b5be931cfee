import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { CHANNELS } from "@/core/messages/channels";
import { MESSAGE_STATUSES } from "@/core/messages/status";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

export const channel = pgEnum("channel", CHANNELS);

/**
 * Forward-only: see core/messages/status.ts for the order. bounced, complained, failed and
 * suppressed are terminal.
 */
export const messageStatus = pgEnum("message_status", MESSAGE_STATUSES);

export const messageKind = pgEnum("message_kind", ["transactional", "campaign"]);

export const templates = pgTable(
  "templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    channel: channel("channel").notNull(),
    name: text("name").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("templates_workspace_name_key").on(t.workspaceId, t.name),
    index("templates_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
  ],
);

/**
 * Images uploaded for email templates (issue 17), optimised and stored in file storage; served
 * publicly at /assets/{id}/{name}. Workspace content, not personal data: they go with the
 * workspace (its erasure deletes the files too) and are in every backup.
 */
export const emailAssets = pgTable(
  "email_assets",
  {
    // Random (v4), not time-ordered: the id is the whole authority of the public URL, so it
    // must not be guessable from another asset's id or its upload time.
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull(),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    bytes: integer("bytes").notNull(),
    originalContentType: text("original_content_type").notNull(),
    originalWidth: integer("original_width").notNull(),
    originalHeight: integer("original_height").notNull(),
    originalBytes: integer("original_bytes").notNull(),
    /** Of the optimised bytes: the same image uploaded twice is stored once per workspace. */
    sha256: text("sha256").notNull(),
    fileName: text("file_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_assets_workspace_sha256_key").on(t.workspaceId, t.sha256),
    index("email_assets_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
  ],
);

/** What the caller asked to send; kept on the message so events carry only ids. */
export type MessageRequest = {
  /** Without a template: the subject; with one, a subject that replaces the template's (a journey's A/B variant). */
  subject?: string;
  /** A sender that replaces the workspace's (a journey's A/B variant; email only). */
  from?: string;
  body?: string;
  data: Record<string, unknown>;
  /** A WhatsApp template message: the approved template's name, language and body variables (Liquid). */
  whatsapp?: { template: { name: string; language: string; variables: string[] } };
};

/** One row per outbound message. The unique key is the at-most-once guard (invariant 1). */
export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
    kind: messageKind("kind").notNull().default("transactional"),
    channel: channel("channel").notNull(),
    recipient: text("recipient").notNull(),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    templateId: uuid("template_id").references(() => templates.id, { onDelete: "set null" }),
    templateVersion: integer("template_version"),
    campaignId: uuid("campaign_id"),
    /**
     * The topic the message belongs to (a workspace category's key: `security`, `billing`, …);
     * preferences are kept per contact × channel × category. Null: the workspace's default.
     */
    category: text("category"),
    request: jsonb("request").$type<MessageRequest>().notNull().default(sql`'{"data":{}}'::jsonb`),
    subject: text("subject"),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    /**
     * The idempotency key of the batch call a transactional email was claimed for. Kept until the
     * message is sent, so any later attempt (a step retry, a dead letter retried days later) sends
     * it under the same key and a provider that did take the first call sends nothing twice.
     */
    sendKey: text("send_key"),
    status: messageStatus("status").notNull().default("queued"),
    /**
     * When delivery rules let the message go to its sender (past quiet hours, within its
     * category's frequency cap): what a cap counts. Null for messages no rule held.
     */
    releasedAt: timestamp("released_at", { withTimezone: true, precision: 3 }),
    error: text("error"),
    queuedAt: timestamp("queued_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true, precision: 3 }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, precision: 3 }),
    openedAt: timestamp("opened_at", { withTimezone: true, precision: 3 }),
    clickedAt: timestamp("clicked_at", { withTimezone: true, precision: 3 }),
    bouncedAt: timestamp("bounced_at", { withTimezone: true, precision: 3 }),
    complainedAt: timestamp("complained_at", { withTimezone: true, precision: 3 }),
    failedAt: timestamp("failed_at", { withTimezone: true, precision: 3 }),
    suppressedAt: timestamp("suppressed_at", { withTimezone: true, precision: 3 }),
    /** Total opens and clicks (the *_at columns mark the first, i.e. the unique ones). */
    openCount: integer("open_count").notNull().default(0),
    clickCount: integer("click_count").notNull().default(0),
    /** When the recipient unsubscribed through this message's link. */
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true, precision: 3 }),
    /**
     * Set with status `failed` when sending gave up on a failure a later retry might fix (its
     * retries ran out): the message is a dead letter until retried, which clears it. A
     * permanent refusal (bad template, invalid address) is `failed` without it.
     */
    deadLetteredAt: timestamp("dead_lettered_at", { withTimezone: true, precision: 3 }),
    /** How many times the message was taken out of the dead letters and queued again. */
    retryCount: integer("retry_count").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("messages_workspace_idempotency_key").on(t.workspaceId, t.idempotencyKey),
    index("messages_workspace_queued_idx").on(t.workspaceId, t.queuedAt),
    index("messages_provider_message_idx").on(t.provider, t.providerMessageId),
    // Segment engagement conditions look up a contact's messages.
    index("messages_workspace_contact_idx").on(t.workspaceId, t.contactId),
    // Frequency caps count a contact's released messages in a trailing window.
    index("messages_contact_released_idx").on(t.contactId, t.releasedAt).where(sql`${t.releasedAt} is not null`),
    // Campaign stats aggregate a campaign's messages.
    index("messages_campaign_idx").on(t.campaignId),
    // A call made again under a stored key loads every message claimed for it.
    index("messages_send_key_idx").on(t.sendKey).where(sql`${t.sendKey} is not null`),
    // The dead-letter list, newest first; partial, so it costs nothing for the messages that are not.
    index("messages_dead_letters_idx").on(t.workspaceId, t.deadLetteredAt, t.id).where(sql`${t.deadLetteredAt} is not null`),
  ],
);

export const messageAttemptOutcome = pgEnum("message_attempt_outcome", ["sent", "failed", "rate-limited"]);

/**
 * Each provider call made for a message, appended as it ends: what a dead letter shows as its
 * history. Rows only ever get added (and go with their message).
 */
export const messageAttempts = pgTable(
  "message_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** The provider called (`resend`, `twilio`, `outbox`); null when no provider was reached. */
    provider: text("provider"),
    outcome: messageAttemptOutcome("outcome").notNull(),
    /** Why the attempt failed, in words a user may read (publicErrorMessage). */
    error: text("error"),
    /** The function run's attempt (1 = first try), so the history reads alongside the run's retries. */
    attempt: integer("attempt"),
  },
  (t) => [index("message_attempts_message_idx").on(t.messageId, t.at, t.id)],
);

/**
 * Addresses are stored as a SHA-256 hash of the normalised address, so a suppression can
 * outlive the erasure of the contact it came from.
 */
export const suppressions = pgTable(
  "suppressions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    channel: channel("channel").notNull(),
    addressHash: text("address_hash").notNull(),
    reason: text("reason").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("suppressions_workspace_channel_address_key").on(t.workspaceId, t.channel, t.addressHash)],
);

/**
 * Each workspace's secret salt for suppression hashes (core/messages/address-hash.ts): a keyed
 * hash cannot be reversed by hashing every known address or phone number, which a plain
 * SHA-256 of an address can. Drawn on first use and never changed (a new salt would forget
 * every suppression); rows hashed before salts existed are still matched by their plain hash.
 */
export const suppressionSalts = pgTable("suppression_salts", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  salt: text("salt").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** The local provider's mailbox: every rendered message, as a provider would have received it. */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
    messageId: uuid("message_id"),
    campaignId: uuid("campaign_id"),
    channel: channel("channel").notNull(),
    from: text("from").notNull(),
    to: text("to").notNull(),
    replyTo: text("reply_to"),
    subject: text("subject"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    html: text("html"),
    text: text("text"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("outbox_workspace_idempotency_key").on(t.workspaceId, t.idempotencyKey),
    index("outbox_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("outbox_message_idx").on(t.messageId),
    index("outbox_campaign_idx").on(t.campaignId),
  ],
);
