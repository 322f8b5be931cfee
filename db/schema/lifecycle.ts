import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { campaigns } from "./campaigns";
import { workspaces } from "./workspaces";

/**
 * Data lifecycle (issue 16): erasures with a recovery window, retention policies and their runs,
 * exports, campaign archives and database backups. Times that decide what happens (a window's
 * end, an export's expiry) are written from the app's clock, never SQL `now()`, so the engine
 * tests can move time for both sides at once.
 */

export const erasureSubject = pgEnum("erasure_subject", ["contact", "workspace"]);

/**
 * `pending`: inside the recovery window, the subject hidden; `waiting`: the window passed, the
 * erasure waits for its turn (a daily quota per workspace); `erasing`: under way (a crash resumes
 * it); `erased`: done; `restored`: undone within the window.
 */
export const erasureStatus = pgEnum("erasure_status", ["pending", "waiting", "erasing", "erased", "restored"]);

/**
 * One request to erase a contact or a whole workspace. No foreign keys: the record outlives what
 * it erased (a workspace erasure deletes the workspace). It holds ids only, never the address.
 */
export const erasures = pgTable(
  "erasures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    subject: erasureSubject("subject").notNull(),
    /** Null for a workspace erasure. */
    contactId: uuid("contact_id"),
    status: erasureStatus("status").notNull().default("pending"),
    /** "api_key:<id>", "dashboard", "retention", … */
    requestedBy: text("requested_by").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true, precision: 3 }).notNull(),
    /** The end of the recovery window: restore works until then, erasure starts after it. */
    eraseAfter: timestamp("erase_after", { withTimezone: true, precision: 3 }).notNull(),
    executedAt: timestamp("executed_at", { withTimezone: true, precision: 3 }),
    restoredAt: timestamp("restored_at", { withTimezone: true, precision: 3 }),
    recoveryEmailsSent: integer("recovery_emails_sent").notNull().default(0),
    /** Rows removed or rewritten per table, recorded when the erasure finishes. */
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    error: text("error"),
  },
  (t) => [
    index("erasures_workspace_requested_idx").on(t.workspaceId, t.requestedAt),
    // One open erasure per contact: a second request answers with the first.
    uniqueIndex("erasures_open_contact_idx")
      .on(t.workspaceId, t.contactId)
      .where(sql`${t.status} in ('pending', 'waiting', 'erasing') and ${t.contactId} is not null`),
  ],
);

/**
 * A workspace's retention policy. Every rule is off while its days are null; the policy does
 * nothing until `enabled`. A policy whose dry run touches more than `confirmShare` of the
 * contacts is only enabled with an explicit confirmation (`confirmedAt`).
 */
export const retentionPolicies = pgTable("retention_policies", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  enabled: boolean("enabled").notNull().default(false),
  /** Anonymise contacts with no activity (messages, engagement, changes) for this many days. */
  inactiveContactDays: integer("inactive_contact_days"),
  /** Drop message bodies (request data, rendered outbox copies) after this many days. */
  messageBodyDays: integer("message_body_days"),
  /** Clear stored provider webhook payloads after this many days. */
  webhookPayloadDays: integer("webhook_payload_days"),
  /** Clear finished runs' working data (import error rows, campaign chunks, digest items) after this many days. */
  runDataDays: integer("run_data_days"),
  /** Share of the workspace's contacts (0–1) above which enabling needs a confirmation. */
  confirmShare: text("confirm_share").notNull().default("0.1"),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true, precision: 3 }),
  updatedBy: text("updated_by"),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const retentionRunStatus = pgEnum("retention_run_status", ["running", "completed", "failed"]);

/** Each application (or dry run) of a policy: what it touched, per rule. */
export const retentionRuns = pgTable(
  "retention_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    dryRun: boolean("dry_run").notNull(),
    status: retentionRunStatus("status").notNull().default("running"),
    /** Per rule: rows it would touch (dry run) or touched. */
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    error: text("error"),
  },
  (t) => [index("retention_runs_workspace_started_idx").on(t.workspaceId, t.startedAt)],
);

export const exportSubject = pgEnum("export_subject", ["contact", "workspace"]);
export const exportStatus = pgEnum("export_status", ["queued", "running", "ready", "failed", "expired"]);

/** A GDPR access or portability export: a zip of JSONL and CSV in file storage. */
export const dataExports = pgTable(
  "data_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    subject: exportSubject("subject").notNull(),
    /** For a contact export; no foreign key, so erasing the contact can find and remove its exports. */
    contactId: uuid("contact_id"),
    status: exportStatus("status").notNull().default("queued"),
    rowsTotal: integer("rows_total"),
    rowsDone: integer("rows_done").notNull().default(0),
    storageKey: text("storage_key"),
    bytes: bigint("bytes", { mode: "number" }),
    sha256: text("sha256"),
    /** Where "your export is ready" goes; null: nobody is told. */
    notifyEmail: text("notify_email"),
    requestedBy: text("requested_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }),
    error: text("error"),
  },
  (t) => [index("data_exports_workspace_created_idx").on(t.workspaceId, t.createdAt), index("data_exports_contact_idx").on(t.contactId)],
);

export const archiveStatus = pgEnum("archive_status", ["archiving", "archived", "restoring", "restored", "failed"]);

/**
 * A campaign's recipients, messages and events moved to cold storage as gzip JSONL, described by
 * `manifest` (per file: rows, bytes, sha256). The campaign row and its sealed stats stay.
 */
export const campaignArchives = pgTable(
  "campaign_archives",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    status: archiveStatus("status").notNull().default("archiving"),
    /** "schedule" (plan-archives, ARCHIVE_CAMPAIGNS_AFTER_DAYS), "api_key:<id>" or "dashboard". */
    requestedBy: text("requested_by").notNull().default("schedule"),
    /** When the current archive (or restore) was asked for; the archives list is newest first by it. */
    requestedAt: timestamp("requested_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** The storage key prefix the archive's files live under. */
    storagePrefix: text("storage_prefix"),
    manifest: jsonb("manifest").$type<Record<string, unknown>>(),
    archivedAt: timestamp("archived_at", { withTimezone: true, precision: 3 }),
    restoredAt: timestamp("restored_at", { withTimezone: true, precision: 3 }),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("campaign_archives_campaign_idx").on(t.campaignId),
    index("campaign_archives_workspace_idx").on(t.workspaceId),
    index("campaign_archives_workspace_requested_idx").on(t.workspaceId, t.requestedAt, t.id),
  ],
);

/**
 * The archives' index: which contacts an archive holds rows of, so an erasure finds (and scrubs)
 * them without opening every archive.
 */
export const archiveContacts = pgTable(
  "archive_contacts",
  {
    archiveId: uuid("archive_id")
      .notNull()
      .references(() => campaignArchives.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.archiveId, t.contactId] }), index("archive_contacts_contact_idx").on(t.contactId)],
);

/** `expired`: retention deleted its files; the row stays as history. */
export const backupStatus = pgEnum("backup_status", ["running", "completed", "failed", "expired"]);

/** A logical backup of the whole database: one gzip JSONL file per table and a manifest. */
export const backups = pgTable(
  "backups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    status: backupStatus("status").notNull().default("running"),
    /** "schedule" or "manual". */
    trigger: text("trigger").notNull(),
    storagePrefix: text("storage_prefix"),
    /** Per table: rows, bytes, sha256; and the schema version it was taken at. */
    manifest: jsonb("manifest").$type<Record<string, unknown>>(),
    bytes: bigint("bytes", { mode: "number" }),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    /** Past this, the backup's files are deleted (retention). */
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }),
    error: text("error"),
  },
  (t) => [index("backups_started_idx").on(t.startedAt)],
);
