import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaignGuardTrips, type CampaignGuardTrip, campaignStatsHourly, campaigns } from "@/db/schema";
import { addTotals, emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import type { GuardAcknowledgement, GuardReading } from "@/core/analytics/campaign-guard";
import { SUMMED_COUNTERS } from "./campaign-stats-hourly";

export async function insertGuardTrip(
  db: Db,
  values: { workspaceId: string; campaignId: string; alertId: string; readings: GuardReading[]; totals: EngagementTotals },
): Promise<CampaignGuardTrip> {
  const [row] = await db.insert(campaignGuardTrips).values(values).returning();
  return row!;
}

/** What the last resume after a guard pause acknowledged; {} when the guard never paused the campaign (or it was never resumed). */
export async function latestGuardAcknowledgement(db: Db, params: { workspaceId: string; campaignId: string }): Promise<GuardAcknowledgement> {
  const [row] = await db
    .select({ acknowledged: campaignGuardTrips.acknowledged })
    .from(campaignGuardTrips)
    .where(and(eq(campaignGuardTrips.workspaceId, params.workspaceId), eq(campaignGuardTrips.campaignId, params.campaignId), isNotNull(campaignGuardTrips.acknowledgedAt)))
    .orderBy(desc(campaignGuardTrips.acknowledgedAt))
    .limit(1);
  return row?.acknowledged ?? {};
}

/** Stamps the campaign's unacknowledged trips with the rates a resume accepted; how many it stamped. */
export async function acknowledgeGuardTrips(db: Db, params: { workspaceId: string; campaignId: string; acknowledged: GuardAcknowledgement }): Promise<number> {
  const rows = await db
    .update(campaignGuardTrips)
    .set({ acknowledged: params.acknowledged, acknowledgedAt: sql`now()` })
    .where(and(eq(campaignGuardTrips.workspaceId, params.workspaceId), eq(campaignGuardTrips.campaignId, params.campaignId), isNull(campaignGuardTrips.acknowledgedAt)))
    .returning({ id: campaignGuardTrips.id });
  return rows.length;
}

export async function listGuardTrips(db: Db, params: { workspaceId: string; campaignId: string }): Promise<CampaignGuardTrip[]> {
  return db
    .select()
    .from(campaignGuardTrips)
    .where(and(eq(campaignGuardTrips.workspaceId, params.workspaceId), eq(campaignGuardTrips.campaignId, params.campaignId)))
    .orderBy(desc(campaignGuardTrips.trippedAt));
}

export type SendingCampaignTotals = { workspaceId: string; campaignId: string; totals: EngagementTotals };

/**
 * Every sending campaign's counters at once, for the guard's minute cron: campaigns_status_progress_idx
 * finds the sending ones (a handful), the stats primary key their hours. `limit` bounds a burst.
 */
export async function sendingCampaignTotals(db: Db, params: { limit: number }): Promise<SendingCampaignTotals[]> {
  const rows = await db
    .select({ workspaceId: campaigns.workspaceId, campaignId: campaigns.id, ...SUMMED_COUNTERS })
    .from(campaigns)
    .innerJoin(campaignStatsHourly, and(eq(campaignStatsHourly.campaignId, campaigns.id), eq(campaignStatsHourly.workspaceId, campaigns.workspaceId)))
    .where(eq(campaigns.status, "sending"))
    .groupBy(campaigns.workspaceId, campaigns.id)
    .orderBy(campaigns.id)
    .limit(params.limit);
  return rows.map(({ workspaceId, campaignId, ...counters }) => ({ workspaceId, campaignId, totals: addTotals(emptyTotals(), counters) }));
}

/** Trips not yet announced by guard-campaigns (the partial index keeps this a few rows), oldest first. */
export async function listUnannouncedGuardTrips(db: Db, params: { limit: number }): Promise<CampaignGuardTrip[]> {
  return db.select().from(campaignGuardTrips).where(isNull(campaignGuardTrips.announcedAt)).orderBy(campaignGuardTrips.trippedAt).limit(params.limit);
}

export async function markGuardTripsAnnounced(db: Db, params: { tripIds: string[] }): Promise<void> {
  if (params.tripIds.length === 0) return;
  await db.update(campaignGuardTrips).set({ announcedAt: sql`now()` }).where(inArray(campaignGuardTrips.id, params.tripIds));
}
