import type { AbMetric } from "@/core/ab-tests/ab-test";
import { nextLocalTime } from "@/core/journeys/local-time";
import { wallTimeOf } from "@/core/delivery/zoned-time";

/**
 * A/B tests for campaigns (campaigns.ab_test): the arithmetic, with no I/O. A test sends 2–4
 * variants to a sample of the audience, waits its window, then sends the variant with the best
 * rate to everyone else. Which recipient is in the sample and which variant it gets is decided by
 * ranking the snapshot on a hash of (campaign, contact) — random across contacts, the same on
 * every retry — and dealing the first `abSampleSize` ranks round-robin, so the variants differ
 * in size by at most one. A send-time test sends each variant's sample at its own delay after the
 * start and the rest at the winner's time of day.
 * The statistics shared with journeys are in core/ab-tests/ab-test.ts.
 */

/**
 * What a variant changes; anything left out is the campaign's own. `sendDelayMinutes` is the
 * send time: the variant's sample goes out that long after sending starts (a send-time test),
 * and the rest of the audience goes at the winner's time of day.
 */
export type AbVariant = { subject?: string; templateId?: string; from?: string; sendDelayMinutes?: number };

/** A send-time test compares times of day, so a variant goes at most a day after the start. */
export const AB_MAX_SEND_DELAY_MINUTES = 24 * 60;

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

/** How long after the start `variant`'s sample goes out (0: at once). */
export function abSendDelayMs(test: Pick<AbTestConfig, "variants">, variant: number): number {
  return (test.variants[variant]?.sendDelayMinutes ?? 0) * 60_000;
}

/** A test of send times: some variant goes out later than the start. */
export function isSendTimeTest(test: Pick<AbTestConfig, "variants">): boolean {
  return test.variants.some((_, variant) => abSendDelayMs(test, variant) > 0);
}

/** When `variant`'s sample goes out. */
export function abVariantSendAt(startedAt: Date, test: Pick<AbTestConfig, "variants">, variant: number): Date {
  return new Date(startedAt.getTime() + abSendDelayMs(test, variant));
}

/**
 * When the winner is picked: the window after the last variant went out, so every variant's
 * sample has the whole window to be opened or clicked.
 */
export function abDecisionAt(startedAt: Date, test: Pick<AbTestConfig, "variants" | "windowMinutes">): Date {
  const lastDelay = Math.max(0, ...test.variants.map((_, variant) => abSendDelayMs(test, variant)));
  return new Date(startedAt.getTime() + lastDelay + test.windowMinutes * 60_000);
}

/**
 * Until when the rest of the audience is held before a winner is picked. Usually the decision
 * itself; in a send-time test a day and an hour (a DST change) later, which is as late as the
 * winner's time of day can come round — so nothing (the watchdog included) sends the rest at the
 * decision's time of day before the pick has moved them to the winner's (abRestSendAt).
 */
export function abHoldUntil(startedAt: Date, test: Pick<AbTestConfig, "variants" | "windowMinutes">): Date {
  const decideAt = abDecisionAt(startedAt, test);
  return isSendTimeTest(test) ? new Date(decideAt.getTime() + 25 * 3_600_000) : decideAt;
}

/**
 * When the rest of a send-time test's audience goes: the next time after the decision that the
 * clock in `timeZone` shows the winner's send time (to the minute) — the winning 14:00 sends the
 * rest at the next 14:00. Null for a test of content or sender, whose rest goes at the decision.
 */
export function abRestSendAt(test: Pick<AbTestConfig, "variants">, params: { startedAt: Date; winner: number; decidedAt: Date; timeZone: string }): Date | null {
  if (!isSendTimeTest(test)) return null;
  const wall = wallTimeOf(abVariantSendAt(params.startedAt, test, params.winner), params.timeZone);
  const hhmm = `${String(wall.hour).padStart(2, "0")}:${String(wall.minute).padStart(2, "0")}`;
  return nextLocalTime(params.decidedAt, hhmm, params.timeZone);
}
