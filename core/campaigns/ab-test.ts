import type { AbMetric } from "@/core/ab-tests/ab-test";

/**
 * A/B tests for campaigns (campaigns.ab_test): the arithmetic, with no I/O. A test sends 2–4
 * variants to a sample of the audience, waits its window, then sends the variant with the best
 * rate to everyone else. Which recipient is in the sample and which variant it gets is decided by
 * ranking the snapshot on a hash of (campaign, contact) — random across contacts, the same on
 * every retry — and dealing the first `abSampleSize` ranks round-robin, so the variants differ
 * in size by at most one. The statistics shared with journeys are in core/ab-tests/ab-test.ts.
 */

/** What a variant changes; anything left out is the campaign's own. */
export type AbVariant = { subject?: string; templateId?: string; from?: string };

export type AbTestConfig = {
  variants: AbVariant[];
  /** The share of the audience the variants go to, split evenly among them (1–50). */
  testPercent: number;
  /** How long after the sample goes out the winner is picked. */
  windowMinutes: number;
  /** opens: human opens only (machine opens are not counted); clicks: human clicks; goal: a custom event. */
  metric: AbMetric;
  /** metric "goal": the name of the contact event (POST /api/v1/events) that counts as a conversion. */
  goalEvent?: string;
};

/**
 * How many recipients the test sample holds: `percent` of the audience, rounded, but at least
 * one per variant (when the audience has that many) and never more than the audience.
 */
export function abSampleSize(audience: number, percent: number, variants: number): number {
  if (audience <= 0) return 0;
  return Math.min(audience, Math.max(variants, Math.round((audience * percent) / 100)));
}

/** The variant the recipient at `rank` (0-based, in hash order) of the sample gets: round-robin. */
export function abVariantOfRank(rank: number, variants: number): number {
  return rank % variants;
}

/** When the winner is picked: the window after the sample started. */
export function abDecisionAt(startedAt: Date, windowMinutes: number): Date {
  return new Date(startedAt.getTime() + windowMinutes * 60_000);
}
