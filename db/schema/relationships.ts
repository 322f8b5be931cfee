import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { aiRecommendations, recommendationSource } from "./ai";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/**
 * The mailbox owner's relationship with one contact, recomputed for the whole workspace by
 * analyse-relationships from `mailbox_messages` (non-automated mail naming the contact): the
 * figures, the strength (core/mailbox/relationship-strength.ts) and the threads awaiting the
 * owner's reply. A contact without such mail has no row. The summary fields are the last AI
 * summary (on demand, lib/mailbox/summarise-relationship.ts); a recompute leaves them alone, and
 * `input_hash` says which basis they answer, so an unchanged relationship is not asked twice.
 */
export const contactRelationships = pgTable(
  "contact_relationships",
  {
    contactId: uuid("contact_id")
      .primaryKey()
      .references(() => contacts.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messagesSent: integer("messages_sent").notNull(),
    messagesReceived: integer("messages_received").notNull(),
    sentLast90Days: integer("sent_last_90_days").notNull(),
    receivedLast90Days: integer("received_last_90_days").notNull(),
    firstInteractionAt: timestamp("first_interaction_at", { withTimezone: true, precision: 3 }).notNull(),
    lastInteractionAt: timestamp("last_interaction_at", { withTimezone: true, precision: 3 }).notNull(),
    /** Distinct UTC days with mail either way. */
    interactionDays: integer("interaction_days").notNull(),
    /** Average days between days with mail; null with fewer than two. */
    usualGapDays: doublePrecision("usual_gap_days"),
    /** 0–1: the quieter side's share of the messages, doubled. */
    reciprocity: doublePrecision("reciprocity").notNull(),
    /** Median seconds from the contact's message to the owner's answer in the same thread. */
    ownerReplySeconds: integer("owner_reply_median_seconds"),
    /** Median seconds from the owner's message to the contact's answer. */
    contactReplySeconds: integer("contact_reply_median_seconds"),
    /** 0–100 as of `computed_at`. */
    strength: doublePrecision("strength").notNull(),
    /** 0–100 at the last interaction: what the relationship was before any silence. */
    peakStrength: doublePrecision("peak_strength").notNull(),
    goingCold: boolean("going_cold").notNull().default(false),
    /** Threads whose last message is the contact's, within 30 days, with nothing from the owner after it. */
    awaitingThreads: integer("awaiting_threads").notNull().default(0),
    awaitingSubject: text("awaiting_subject"),
    awaitingSince: timestamp("awaiting_since", { withTimezone: true, precision: 3 }),
    computedAt: timestamp("computed_at", { withTimezone: true, precision: 3 }).notNull(),
    summary: text("summary"),
    nextAction: text("next_action"),
    summarySource: recommendationSource("summary_source"),
    /** Why the heuristics answered instead of the model, when they did. */
    summaryNote: text("summary_note"),
    /** The basis the summary answers (lib/ai/input-hash.ts); null when the answer may not be reused (a fallback). */
    inputHash: text("input_hash"),
    /** The stored recommendation the summary came from: what exactly the model was shown. */
    recommendationId: uuid("recommendation_id").references(() => aiRecommendations.id, { onDelete: "set null" }),
    summarisedAt: timestamp("summarised_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index("contact_relationships_workspace_strength_idx").on(t.workspaceId, t.strength, t.contactId),
    // The two narrower lists read only their rows.
    index("contact_relationships_workspace_cold_idx").on(t.workspaceId, t.peakStrength, t.contactId).where(sql`${t.goingCold}`),
    index("contact_relationships_workspace_awaiting_idx").on(t.workspaceId, t.strength, t.contactId).where(sql`${t.awaitingThreads} > 0`),
  ],
);
