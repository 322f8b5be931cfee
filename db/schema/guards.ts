import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { CampaignAnalysis } from "@/core/analytics/campaign-analysis";
import type { GuardAcknowledgement, GuardReading } from "@/core/analytics/campaign-guard";
import type { EngagementTotals } from "@/core/analytics/engagement";
import { campaigns } from "./campaigns";
import { workspaces } from "./workspaces";

/** `finished`: right after campaign/finished; `settled`: again once late events have come in. */
export const campaignAnalysisPhase = pgEnum("campaign_analysis_phase", ["finished", "settled"]);

/**
 * A campaign compared with its workspace's trailing baseline (core/analytics/campaign-analysis.ts),
 * stored with the counters it was computed from and which campaigns made the baseline, so a
 * reader can redo the arithmetic. One row per phase: a re-run replaces its own phase only.
 */
export const campaignAnalyses = pgTable(
  "campaign_analyses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    phase: campaignAnalysisPhase("phase").notNull(),
    totals: jsonb("totals").$type<EngagementTotals>().notNull(),
    baselineTotals: jsonb("baseline_totals").$type<EngagementTotals>().notNull(),
    baselineCampaignIds: jsonb("baseline_campaign_ids").$type<string[]>().notNull(),
    analysis: jsonb("analysis").$type<CampaignAnalysis>().notNull(),
    analyzedAt: timestamp("analyzed_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("campaign_analyses_campaign_phase_idx").on(t.campaignId, t.phase), index("campaign_analyses_workspace_idx").on(t.workspaceId)],
);

/**
 * Each automatic pause of a sending campaign by the guard: the readings that tripped it and the
 * counters behind them. A resume stamps the open trips with what was acknowledged (the rates at
 * that moment); the guard pauses again only above those (core/analytics/campaign-guard.ts).
 */
export const campaignGuardTrips = pgTable(
  "campaign_guard_trips",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    /** The workspace alert it raised (workspace_alerts). */
    alertId: uuid("alert_id").notNull(),
    readings: jsonb("readings").$type<GuardReading[]>().notNull(),
    totals: jsonb("totals").$type<EngagementTotals>().notNull(),
    trippedAt: timestamp("tripped_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /**
     * Set once guard-campaigns has sent campaign/guard.tripped for it (under the trip's id, so the
     * chunk run that paused and announced first is not announced twice): a pause whose announcing
     * step was lost is still announced, within a minute.
     */
    announcedAt: timestamp("announced_at", { withTimezone: true, precision: 3 }),
    acknowledged: jsonb("acknowledged").$type<GuardAcknowledgement>(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index("campaign_guard_trips_campaign_idx").on(t.campaignId, t.trippedAt),
    index("campaign_guard_trips_unannounced_idx").on(t.trippedAt).where(sql`announced_at is null`),
  ],
);

export const alertSeverity = pgEnum("alert_severity", ["warning", "critical"]);

/**
 * Things the workspace must be told about (the banner on the dashboard, GET /api/v1/alerts),
 * open until what caused them is dealt with (`resolved_at`: a guard-paused campaign resumed or
 * cancelled). `kind` names the source (`campaign_guard`); `target_*` what it is about.
 */
export const workspaceAlerts = pgTable(
  "workspace_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    severity: alertSeverity("severity").notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [index("workspace_alerts_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id)],
);

export type CampaignAnalysisRow = typeof campaignAnalyses.$inferSelect;
export type CampaignGuardTrip = typeof campaignGuardTrips.$inferSelect;
export type WorkspaceAlert = typeof workspaceAlerts.$inferSelect;
