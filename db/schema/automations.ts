import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Channel } from "@/core/messages/channels";
import type { AbRecordedResult } from "./campaigns";
import { contacts } from "./contacts";
import { channel, messages, templates } from "./messaging";
import { workspaces } from "./workspaces";

/**
 * Automations (issue 17): date automations (birthdays, anniversaries), custom contact events,
 * and journeys — versioned graphs with one durable run per enrollment. Times that decide what
 * happens are written from the app's clock, never SQL `now()`, so the engine tests can move time
 * for both sides at once.
 */

export const automationStatus = pgEnum("automation_status", ["active", "paused"]);

/**
 * Sends a template on a contact's date each year at a local hour in the contact's time zone
 * (the workspace's delivery-settings zone when the contact has none). `dateField` names the
 * date: `birthday` (year-less allowed), `created_at` (signup anniversary), or `attribute:<key>`
 * (an ISO date in contacts.attributes, e.g. a renewal).
 */
export const dateAutomations = pgTable(
  "date_automations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    dateField: text("date_field").notNull(),
    /** Local wall-clock time of the send, 0–23 and 0–59. */
    sendHour: smallint("send_hour").notNull().default(9),
    sendMinute: smallint("send_minute").notNull().default(0),
    channel: channel("channel").$type<Channel>().notNull(),
    templateId: uuid("template_id")
      .notNull()
      .references(() => templates.id, { onDelete: "restrict" }),
    /** A workspace category's key: preferences and caps are checked against it. */
    category: text("category"),
    fromAddress: text("from_address"),
    status: automationStatus("status").notNull().default("active"),
    /** Why it was paused (by a person, or because its template went away). */
    statusReason: text("status_reason"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("date_automations_workspace_idx").on(t.workspaceId, t.status)],
);

/**
 * One row per automation, contact and year: the claim that makes a date send once a year however
 * often the plan runs or is replayed. `messageId` is the message it became (null: skipped, with
 * `skippedReason`).
 */
export const dateAutomationSends = pgTable(
  "date_automation_sends",
  {
    automationId: uuid("automation_id")
      .notNull()
      .references(() => dateAutomations.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    year: smallint("year").notNull(),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    skippedReason: text("skipped_reason"),
    claimedAt: timestamp("claimed_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.automationId, t.contactId, t.year] })],
);

/**
 * A custom event about a contact (`POST /api/v1/events`, e.g. `purchase`): what journeys start on,
 * wait for and exit on. `eventId` is the caller's id, unique per workspace, so a retried request
 * records (and emits) the event once.
 */
export const contactEvents = pgTable(
  "contact_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    name: text("name").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    uniqueIndex("contact_events_workspace_event_id_idx").on(t.workspaceId, t.eventId),
    index("contact_events_contact_idx").on(t.contactId, t.occurredAt),
    index("contact_events_workspace_name_idx").on(t.workspaceId, t.name, t.occurredAt),
  ],
);

/** draft: never published; active: enrolls and runs; paused: enrolls no one, running enrollments wait at their next step. */
export const journeyStatus = pgEnum("journey_status", ["draft", "active", "paused", "archived"]);

/**
 * A journey: the draft graph the canvas edits (saved with a revision, so two editors never
 * silently overwrite each other) and, once published, its versions. The graph's shape is
 * core/journeys' JourneyGraph, stored as jsonb.
 */
export const journeys = pgTable(
  "journeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: journeyStatus("status").notNull().default("draft"),
    /** Why it is paused: a person, or a template or list a live journey needs went away. */
    statusReason: text("status_reason"),
    draft: jsonb("draft").$type<Record<string, unknown>>().notNull(),
    /** Bumped by every save of the draft; a save names the revision it was based on. */
    draftRevision: integer("draft_revision").notNull().default(0),
    draftSavedAt: timestamp("draft_saved_at", { withTimezone: true, precision: 3 }).notNull(),
    draftSavedBy: text("draft_saved_by"),
    /** The version new enrollments run; null until the first publish. */
    publishedVersion: integer("published_version"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("journeys_workspace_idx").on(t.workspaceId, t.status)],
);

/** A published graph, never changed: running enrollments keep the version they entered on. */
export const journeyVersions = pgTable(
  "journey_versions",
  {
    journeyId: uuid("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    graph: jsonb("graph").$type<Record<string, unknown>>().notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true, precision: 3 }).notNull(),
    publishedBy: text("published_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version] })],
);

/**
 * Every saved draft, by revision (the canvas's history): restoring one saves it again as a new
 * revision, and a save on a stale base revision merges against the base it names.
 */
export const journeyDraftRevisions = pgTable(
  "journey_draft_revisions",
  {
    journeyId: uuid("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    draft: jsonb("draft").$type<Record<string, unknown>>().notNull(),
    savedAt: timestamp("saved_at", { withTimezone: true, precision: 3 }).notNull(),
    savedBy: text("saved_by"),
    /** How it was made: `save`, `merge` (a stale save merged with the current draft) or `restore`. */
    kind: text("kind").notNull().default("save"),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.revision] })],
);

/**
 * A send step's message rendered for the canvas's sample contact when the draft was saved, so
 * the canvas shows it without rendering on open. Valid while the step still sends that template
 * and the template is unchanged since (`template_updated_at`); otherwise rendered again.
 */
export const journeyStepPreviews = pgTable(
  "journey_step_previews",
  {
    journeyId: uuid("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    stepId: text("step_id").notNull(),
    templateId: uuid("template_id").notNull(),
    templateUpdatedAt: timestamp("template_updated_at", { withTimezone: true, precision: 3 }).notNull(),
    /** The rendered message (TemplatePreview), or null when it cannot render (`problem` says why). */
    preview: jsonb("preview").$type<Record<string, unknown>>(),
    problem: text("problem"),
    renderedAt: timestamp("rendered_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.stepId] })],
);

/** active: its run is going; completed: reached an exit; exited: left early (goal, unsubscribed, erased, journey removed); failed. */
export const journeyEnrollmentStatus = pgEnum("journey_enrollment_status", ["active", "completed", "exited", "failed"]);

/** One contact's pass through one version of a journey: one durable run. */
export const journeyEnrollments = pgTable(
  "journey_enrollments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    journeyId: uuid("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    status: journeyEnrollmentStatus("status").notNull().default("active"),
    /** The step the contact is at (or ended on). */
    currentStepId: text("current_step_id"),
    /** What started it: the trigger event's name and data, readable by branch conditions as `event`. */
    trigger: jsonb("trigger").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** Values steps recorded on the way, readable by conditions as `journey`. */
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    enteredAt: timestamp("entered_at", { withTimezone: true, precision: 3 }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true, precision: 3 }),
    exitReason: text("exit_reason"),
  },
  (t) => [
    index("journey_enrollments_journey_idx").on(t.journeyId, t.status),
    index("journey_enrollments_contact_idx").on(t.contactId, t.journeyId, t.enteredAt),
    // A contact is in a journey at most once at a time, whatever the re-entry rule.
    uniqueIndex("journey_enrollments_active_idx")
      .on(t.journeyId, t.contactId)
      .where(sql`${t.status} = 'active'`),
  ],
);

/**
 * The per-contact timeline of an enrollment, one row per step transition: `entered`, `waiting`,
 * `passed` (with the branch taken), `exited`. Per-step counts are read from it.
 */
export const journeyStepEvents = pgTable(
  "journey_step_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    enrollmentId: uuid("enrollment_id")
      .notNull()
      .references(() => journeyEnrollments.id, { onDelete: "cascade" }),
    journeyId: uuid("journey_id").notNull(),
    version: integer("version").notNull(),
    stepId: text("step_id").notNull(),
    type: text("type").$type<"entered" | "waiting" | "passed" | "exited">().notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    index("journey_step_events_enrollment_idx").on(t.enrollmentId, t.id),
    index("journey_step_events_step_idx").on(t.journeyId, t.version, t.stepId, t.type),
  ],
);

/**
 * An A/B test of a journey version's send step (core/journeys/journey-ab-test.ts), one row per
 * (journey, version, step), made by the first enrollment to reach it. `winner` is written once
 * (UPDATE … WHERE winner IS NULL); a new version is a new test, since versions never change.
 */
export const journeyAbTests = pgTable(
  "journey_ab_tests",
  {
    journeyId: uuid("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull(),
    winner: smallint("winner"),
    /** The counts and outcome the winner was picked on. */
    result: jsonb("result").$type<AbRecordedResult>(),
    /** "window": the sample and its window were complete (or the time limit came); "manual": a person picked it. */
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true, precision: 3 }),
  },
  // The decision cron lists open tests only.
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId] }), index("journey_ab_tests_open_idx").on(t.startedAt).where(sql`${t.winner} is null`)],
);

/**
 * Which variant of an A/B send step an enrollment got (per visit of the step), and the message
 * it was sent, so the test's counts join the engagement stream by message. `sample`: assigned
 * while the test ran (by hash), not as the winner.
 */
export const journeyAbAssignments = pgTable(
  "journey_ab_assignments",
  {
    enrollmentId: uuid("enrollment_id")
      .notNull()
      .references(() => journeyEnrollments.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    visit: integer("visit").notNull(),
    journeyId: uuid("journey_id").notNull(),
    version: integer("version").notNull(),
    workspaceId: uuid("workspace_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    variant: smallint("variant").notNull(),
    sample: boolean("sample").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true, precision: 3 }).notNull(),
    /** messages.id once requested (no foreign key: archiving moves messages out). */
    messageId: uuid("message_id"),
    sentAt: timestamp("sent_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.enrollmentId, t.nodeId, t.visit] }), index("journey_ab_assignments_test_idx").on(t.journeyId, t.version, t.nodeId, t.variant, t.sentAt)],
);

/**
 * The members of a segment-triggered journey version's segment as last evaluated (Dittofeed's
 * way): a contact enters when it is a member now and has no row here. Publishing seeds it with
 * the members the publish enrolls; each evaluation stamps `seenAt` on every member it meets and
 * then deletes the rows it did not meet (the leavers), so a contact that comes back is a new
 * entry. `enteredAt` is the evaluation stamp a row was inserted under: a retried page finds the
 * entrants it recorded before and re-sends their start events.
 */
export const journeySegmentMembers = pgTable(
  "journey_segment_members",
  {
    journeyId: uuid("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    enteredAt: timestamp("entered_at", { withTimezone: true, precision: 3 }).notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  // contact_id: a contact's deletion cascades here without scanning every journey's members.
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.contactId] }), index("journey_segment_members_contact_idx").on(t.contactId)],
);
