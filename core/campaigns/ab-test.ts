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
 */

export const AB_METRICS = ["opens", "clicks", "goal"] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export const AB_MIN_VARIANTS = 2;
export const AB_MAX_VARIANTS = 4;

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

/** "A", "B", … for variant 0, 1, …. */
export function abVariantLabel(variant: number): string {
  return String.fromCharCode(65 + variant);
}

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

export type AbCount = { sent: number; conversions: number };

/** conversions / sent, 0 for a variant nothing was sent to. */
export function abRate(count: AbCount): number {
  return count.sent > 0 ? count.conversions / count.sent : 0;
}

/**
 * The standard normal CDF, by the Abramowitz–Stegun 7.1.26 approximation of erf (absolute error
 * below 1.5e-7, far finer than any p-value is shown).
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Two-sided two-proportion z-test with the pooled proportion: is a's rate different from b's?
 * p = 1 when there is nothing to compare (an empty side, or both rates 0 or both 1).
 */
export function twoProportionZTest(a: AbCount, b: AbCount): { z: number; pValue: number } {
  if (a.sent === 0 || b.sent === 0) return { z: 0, pValue: 1 };
  const pooled = (a.conversions + b.conversions) / (a.sent + b.sent);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.sent + 1 / b.sent));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (abRate(a) - abRate(b)) / se;
  return { z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

export type AbOutcome = {
  /** The variant with the highest rate; on a tie, the first of them. */
  winner: number;
  rates: number[];
  /** The winner against the best other variant (the runner-up): two-sided p-value, and 1 − p. */
  pValue: number;
  confidence: number;
};

/** Picks the winner of a test from each variant's counts (in variant order). */
export function pickAbWinner(counts: AbCount[]): AbOutcome {
  if (counts.length === 0) throw new RangeError("an A/B test has at least one variant");
  const rates = counts.map(abRate);
  let winner = 0;
  for (let v = 1; v < rates.length; v++) if (rates[v]! > rates[winner]!) winner = v;
  let runnerUp = -1;
  for (let v = 0; v < rates.length; v++) if (v !== winner && (runnerUp < 0 || rates[v]! > rates[runnerUp]!)) runnerUp = v;
  const { pValue } = runnerUp < 0 ? { pValue: 1 } : twoProportionZTest(counts[winner]!, counts[runnerUp]!);
  return { winner, rates, pValue, confidence: 1 - pValue };
}
