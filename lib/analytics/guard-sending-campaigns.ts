import type { Db } from "@/db";
import { listUnannouncedGuardTrips, sendingCampaignTotals } from "@/db/queries/campaign-guard-trips";
import type { GuardThresholds } from "@/core/analytics/campaign-guard";
import { guardCampaign, type GuardAnnouncement } from "./guard-campaign";

/** Sending campaigns read per minute; far more than send at once (each runs ≥ 1 chunk a minute). */
export const GUARD_SCAN_LIMIT = 1000;
/** Trips announced per run. */
export const GUARD_ANNOUNCE_LIMIT = 100;

/**
 * The guard's sweep over every sending campaign (one grouped read of their counters), pausing the
 * ones past a threshold, then the pauses still to announce — this sweep's, and any whose chunk
 * run lost its announcing step — as campaign/guard.tripped payloads.
 */
export async function guardSendingCampaigns(db: Db, thresholds: GuardThresholds): Promise<{ checked: number; paused: number; unannounced: GuardAnnouncement[] }> {
  const campaigns = await sendingCampaignTotals(db, { limit: GUARD_SCAN_LIMIT });
  let paused = 0;
  for (const { workspaceId, campaignId, totals } of campaigns) {
    if (totals.sent < thresholds.minSample) continue;
    if (await guardCampaign(db, { workspaceId, campaignId }, thresholds, { actor: "function:guard-campaigns", totals })) paused += 1;
  }
  const trips = await listUnannouncedGuardTrips(db, { limit: GUARD_ANNOUNCE_LIMIT });
  return {
    checked: campaigns.length,
    paused,
    unannounced: trips.map((trip) => ({ workspaceId: trip.workspaceId, campaignId: trip.campaignId, tripId: trip.id, alertId: trip.alertId, readings: trip.readings })),
  };
}
