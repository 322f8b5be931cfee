import type { Db } from "@/db";
import { acknowledgeGuardTrips } from "@/db/queries/campaign-guard-trips";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { resolveWorkspaceAlerts } from "@/db/queries/workspace-alerts";
import { type GuardAcknowledgement, type GuardThresholds, guardReadings } from "@/core/analytics/campaign-guard";
import { GUARD_ALERT_KIND } from "./guard-campaign";
import { guardThresholds } from "./guard-thresholds";

/**
 * A person resumed (or cancelled) a campaign: whatever the guard flagged is now known. The open
 * trips are stamped with the campaign's rates at this moment, which the guard will not pause
 * for again (only for worse: core/analytics/campaign-guard.ts), and its alerts are resolved.
 * Does nothing for a campaign the guard never paused. Returns how many trips were acknowledged.
 */
export async function acknowledgeGuardPause(db: Db, ids: { workspaceId: string; campaignId: string }, thresholds: GuardThresholds = guardThresholds()): Promise<number> {
  const totals = await campaignTotals(db, ids);
  const acknowledged: GuardAcknowledgement = Object.fromEntries(guardReadings(totals, thresholds).map((reading) => [reading.reason, reading.rate]));
  const trips = await acknowledgeGuardTrips(db, { ...ids, acknowledged });
  await resolveWorkspaceAlerts(db, { workspaceId: ids.workspaceId, kind: GUARD_ALERT_KIND, targetType: "campaign", targetId: ids.campaignId });
  return trips;
}
