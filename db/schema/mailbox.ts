import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { MailboxAddress, MailboxCursor, MailboxSettings } from "@/core/mailbox/mailbox-types";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/**
 * Where a mailbox's messages come from: `import` (an uploaded .mbox / .eml / .zip, read once),
 * `imap` (any IMAP server) and `gmail` (the Gmail API); the last two sync on a schedule.
 */
export const mailboxConnectionKind = pgEnum("mailbox_connection_kind", ["import", "imap", "gmail"]);
/**
 * active → paused ↔ active; error and disconnected stop the work with `status_reason` saying why.
 * `reconnect`: the server refused the stored credentials (a revoked or expired token after one
 * refresh, a changed password); syncing stops until the user connects again.
 */
export const mailboxConnectionStatus = pgEnum("mailbox_connection_status", ["active", "paused", "error", "disconnected", "reconnect"]);
export const mailboxDirection = pgEnum("mailbox_direction", ["sent", "received"]);
/** Where an extracted value was read: an address header (From/To/Cc/Reply-To) or the sender's signature. */
export const contactSourceKind = pgEnum("contact_source_kind", ["header", "signature"]);

/**
 * One mailbox feeding the workspace's contacts. `cursor` is the reader's position (a byte offset
 * into the stored file for an import): it moves in the same transaction as the page it ends, so
 * a killed run resumes exactly after the last committed page.
 */
export const mailboxConnections = pgTable(
  "mailbox_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: mailboxConnectionKind("kind").notNull(),
    status: mailboxConnectionStatus("status").notNull().default("active"),
    statusReason: text("status_reason"),
    label: text("label").notNull(),
    /** The mailbox owner's own addresses, lower-cased: they decide direction and are never extracted as contacts. */
    ownerAddresses: text("owner_addresses").array().notNull().default(sql`'{}'::text[]`),
    /** Store each message's text body (capped); off by default: headers and a snippet are what the CRM needs. */
    storeBodies: boolean("store_bodies").notNull().default(false),
    /** For an import: the uploaded file in storage. */
    fileKey: text("file_key"),
    fileName: text("file_name"),
    fileBytes: bigint("file_bytes", { mode: "number" }),
    sha256: text("sha256"),
    cursor: jsonb("cursor").$type<MailboxCursor>(),
    /** For a synced mailbox: where and as whom to connect (host, port, user; the Gmail address). Nothing secret. */
    settings: jsonb("settings").$type<MailboxSettings>(),
    /**
     * For a synced mailbox: the password or OAuth tokens, sealed with AES-256-GCM
     * (lib/security/secret-box.ts); `credentials_key_id` names the key that sealed them, so a
     * key rotation finds the rows still sealed with an old key.
     */
    credentials: text("credentials"),
    credentialsKeyId: text("credentials_key_id"),
    /** How far back the first sync reads, in days: the backfill's history window. */
    historyDays: integer("history_days").notNull().default(365),
    /** When the last sync (backfill page or incremental) finished without error. */
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true, precision: 3 }),
    /** When the backfill reached the end of the history window; incremental syncs run from then on. */
    backfilledAt: timestamp("backfilled_at", { withTimezone: true, precision: 3 }),
    messagesSeen: integer("messages_seen").notNull().default(0),
    messagesStored: integer("messages_stored").notNull().default(0),
    messagesSkipped: integer("messages_skipped").notNull().default(0),
    /** Recipients past the per-message cap, never looked at (mail bombs). */
    recipientsDropped: integer("recipients_dropped").notNull().default(0),
    contactsCreated: integer("contacts_created").notNull().default(0),
    contactsUpdated: integer("contacts_updated").notNull().default(0),
    /** The last few messages skipped and why (newest last, capped), for the dashboard. */
    skippedSamples: jsonb("skipped_samples").$type<{ at: string; reason: string }[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index("mailbox_connections_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("mailbox_connections_credentials_key_idx").on(t.credentialsKeyId).where(sql`${t.credentialsKeyId} is not null`),
  ],
);

/**
 * One message, once per workspace: the same Message-ID seen in another folder or another
 * connection adds its labels to the row instead of a second row.
 */
export const mailboxMessages = pgTable(
  "mailbox_messages",
  {
    id: uuid("id").primaryKey().default(sql`uuidv7()`),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The connection that first stored it; kept when that connection is deleted. */
    connectionId: uuid("connection_id").references(() => mailboxConnections.id, { onDelete: "set null" }),
    /** Normalised: angle brackets off, lower-cased domain (core/mailbox/message-id.ts). */
    messageId: text("message_id").notNull(),
    /** The root of References / In-Reply-To, or the message's own id when it starts a thread. */
    threadId: text("thread_id").notNull(),
    fromAddress: jsonb("from_address").$type<MailboxAddress | null>(),
    toAddresses: jsonb("to_addresses").$type<MailboxAddress[]>().notNull().default(sql`'[]'::jsonb`),
    ccAddresses: jsonb("cc_addresses").$type<MailboxAddress[]>().notNull().default(sql`'[]'::jsonb`),
    /** Every address the message names, lower-cased: what "messages exchanged with a contact" looks up. */
    participants: text("participants").array().notNull().default(sql`'{}'::text[]`),
    sentAt: timestamp("sent_at", { withTimezone: true, precision: 3 }),
    subject: text("subject"),
    snippet: text("snippet"),
    direction: mailboxDirection("direction").notNull(),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    automated: boolean("automated").notNull().default(false),
    automatedReason: text("automated_reason"),
    /** Only when the connection stores bodies. */
    body: text("body"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mailbox_messages_workspace_message_id_key").on(t.workspaceId, t.messageId),
    index("mailbox_messages_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("mailbox_messages_participants_idx").using("gin", t.participants),
    // A thread's messages in order: the message before a reply, and whether anything came after one (relationships).
    index("mailbox_messages_workspace_thread_idx").on(t.workspaceId, t.threadId, t.sentAt),
  ],
);

/**
 * Where a contact's value came from: the field, the value, the message (and connection) it was
 * read from, header or signature, and when it was first and last seen there. A row is written
 * for a value the mailbox filled in; a value the user entered has no row, which is how the
 * dashboard tells them apart.
 */
export const contactSources = pgTable(
  "contact_sources",
  {
    id: uuid("id").primaryKey().default(sql`uuidv7()`),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    /** email | firstName | lastName | phone | title | company */
    field: text("field").notNull(),
    value: text("value").notNull(),
    source: contactSourceKind("source").notNull(),
    connectionId: uuid("connection_id").references(() => mailboxConnections.id, { onDelete: "set null" }),
    mailboxMessageId: uuid("mailbox_message_id").references(() => mailboxMessages.id, { onDelete: "set null" }),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true, precision: 3 }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [uniqueIndex("contact_sources_contact_field_value_key").on(t.contactId, t.field, t.value), index("contact_sources_workspace_idx").on(t.workspaceId, t.contactId)],
);
