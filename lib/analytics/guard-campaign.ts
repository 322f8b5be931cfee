import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { insertGuardTrip, latestGuardAcknowledgement } from "@/db/queries/campaign-guard-trips";
import { transitionCampaign } from "@/db/queries/campaigns";
import { insertWorkspaceAlert } from "@/db/queries/workspace-alerts";
import { type GuardReading, type GuardThresholds, guardReasonText, trippedReadings } from "@/core/analytics/campaign-guard";
import type { EngagementTotals } from "@/core/analytics/engagement";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

export const GUARD_ALERT_KIND = "campaign_guard";

/** A pause the guard made: what the caller announces as campaign/guard.tripped. */
export type GuardTrip = { workspaceId: string; campaignId: string; tripId: string; alertId: string; readings: GuardReading[]; reason: string };
/** What campaign/guard.tripped carries (ids and numbers; the reason's words are on the campaign). */
export type GuardAnnouncement = Omit<GuardTrip, "reason">;

/**
 * Checks one sending campaign against the guard and pauses it when a rate passed its threshold.
 * Cheap when nothing is wrong: one sum over the campaign's hourly rows, and below the minimum
 * sample nothing else. `totals` may be passed by a caller that read many campaigns at once.
 */
export async function guardCampaign(
  db: Db,
  ids: { workspaceId: string; campaignId: string },
  thresholds: GuardThresholds,
  options: { actor: string; totals?: EngagementTotals },
): Promise<GuardTrip | null> {
  const totals = options.totals ?? (await campaignTotals(db, ids));
  if (totals.sent < thresholds.minSample) return null;
  const readings = trippedReadings(totals, thresholds, await latestGuardAcknowledgement(db, ids));
  if (readings.length === 0) return null;
  const reason = guardReasonText(readings);
  const trip = await db.transaction(async (tx) => {
    // The existing sending → paused transition: chunks claim each provider call only while the
    // campaign is sending (claimCampaignPart), so nothing more goes out once this commits. A
    // campaign that finished, was paused or cancelled meanwhile is left alone.
    const paused = await transitionCampaign(tx, { ...ids, from: ["sending"], to: "paused", set: { statusReason: reason } });
    if (!paused) return null;
    const alert = await insertWorkspaceAlert(tx, {
      workspaceId: ids.workspaceId,
      kind: GUARD_ALERT_KIND,
      severity: "critical",
      title: `Campaign “${paused.name}” was paused automatically`,
      message: reason,
      targetType: "campaign",
      targetId: ids.campaignId,
    });
    const row = await insertGuardTrip(tx, { ...ids, alertId: alert.id, readings, totals });
    await insertAuditEntry(tx, {
      workspaceId: ids.workspaceId,
      actor: options.actor,
      action: "campaign.guard_paused",
      targetType: "campaign",
      targetId: ids.campaignId,
      details: { tripId: row.id, alertId: alert.id, reason, readings },
    });
    return { ...ids, tripId: row.id, alertId: alert.id, readings, reason };
  });
  if (!trip) return null;
  for (const reading of readings) metrics().campaignGuardPauses.inc({ reason: reading.reason });
  logger.warn({ workspaceId: ids.workspaceId, campaignId: ids.campaignId, tripId: trip.tripId, readings, actor: options.actor }, "campaigns: paused by the guard");
  return trip;
}
