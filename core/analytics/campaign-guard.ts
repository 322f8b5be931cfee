import type { EngagementTotals } from "./engagement";
import { formatPercent, reachedCount } from "./campaign-rates";

/**
 * The send-time guard: a campaign whose complaint or hard-bounce rate passes its threshold, once
 * enough of it was sent to mean something, is paused. Gmail and Yahoo's bulk-sender rules
 * (February 2024) reject senders whose spam-complaint rate stays above 0.3 %; a high hard-bounce
 * rate means a stale list, which the same providers punish.
 */
export const GUARD_REASONS = ["complaint_rate", "hard_bounce_rate"] as const;
export type GuardReason = (typeof GUARD_REASONS)[number];

export type GuardThresholds = { complaintRate: number; hardBounceRate: number; minSample: number };

export type GuardReading = { reason: GuardReason; rate: number; count: number; of: number; threshold: number };

/**
 * What a person accepted by resuming a campaign the guard paused: the rate of each reason at that
 * moment. The guard pauses again for a reason only when its rate rises above both the threshold
 * and the acknowledged rate, so a resume is not undone by the very numbers it was resumed with,
 * yet a complaint rate that keeps climbing stops the campaign again.
 */
export type GuardAcknowledgement = Partial<Record<GuardReason, number>>;

/** Both rates of a campaign's counters: complaints per message reached, hard bounces per message sent. */
export function guardReadings(totals: EngagementTotals, thresholds: GuardThresholds): GuardReading[] {
  const reached = reachedCount(totals);
  return [
    { reason: "complaint_rate", rate: reached > 0 ? totals.complained / reached : 0, count: totals.complained, of: reached, threshold: thresholds.complaintRate },
    { reason: "hard_bounce_rate", rate: totals.sent > 0 ? totals.hardBounced / totals.sent : 0, count: totals.hardBounced, of: totals.sent, threshold: thresholds.hardBounceRate },
  ];
}

/** The readings that must pause the campaign now (complaints first); empty below the minimum sample. */
export function trippedReadings(totals: EngagementTotals, thresholds: GuardThresholds, acknowledged: GuardAcknowledgement = {}): GuardReading[] {
  if (totals.sent < thresholds.minSample) return [];
  return guardReadings(totals, thresholds).filter((reading) => reading.rate > reading.threshold && reading.rate > (acknowledged[reading.reason] ?? -1));
}

const DENOMINATOR: Record<GuardReason, string> = { complaint_rate: "reached", hard_bounce_rate: "sent" };
const LABEL: Record<GuardReason, string> = { complaint_rate: "complaint rate", hard_bounce_rate: "hard-bounce rate" };
const RULE: Record<GuardReason, string> = { complaint_rate: " (Gmail and Yahoo bulk-sender rule)", hard_bounce_rate: "" };

/** The campaign's status reason: which rate, the counts behind it, and the line it passed. */
export function guardReasonText(readings: GuardReading[]): string {
  const parts = readings.map(
    (r) => `${LABEL[r.reason]} ${formatPercent(r.rate)} (${r.count.toLocaleString("en-US")} of ${r.of.toLocaleString("en-US")} ${DENOMINATOR[r.reason]}) passed the ${formatPercent(r.threshold)} limit${RULE[r.reason]}`,
  );
  return `Paused automatically: ${parts.join("; ")}. Resume to continue; the guard pauses again only if a rate gets worse.`;
}
