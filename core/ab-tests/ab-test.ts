/**
 * A/B tests, whatever sends them (campaigns: core/campaigns/ab-test.ts; journey send steps:
 * core/journeys/journey-ab-test.ts): the metrics a winner is chosen by, the variants' labels, the
 * rates and the significance of the difference. Pure arithmetic, no I/O.
 */

export const AB_METRICS = ["opens", "clicks", "goal"] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export const AB_MIN_VARIANTS = 2;
export const AB_MAX_VARIANTS = 4;

/** "A", "B", … for variant 0, 1, …. */
export function abVariantLabel(variant: number): string {
  return String.fromCharCode(65 + variant);
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

/** p below this is shown as significant (95 % confidence). */
export const AB_SIGNIFICANCE_LEVEL = 0.05;
