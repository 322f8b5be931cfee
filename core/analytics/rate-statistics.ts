/**
 * Statistics for rates (k successes of n trials) small enough to read: Wilson score intervals,
 * Newcombe's interval for a difference of two rates, and the pooled two-proportion z-test.
 * Wilson rather than the textbook normal interval because campaign rates sit near 0 (complaints,
 * bounces) where the normal interval goes negative and collapses to zero width at k = 0.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export type Interval = { low: number; high: number };

/** The Wilson score interval of k/n; [0, 1] when n is 0 (nothing is known). */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // Exact at the edges (floating point leaves 1e-17 crumbs there), clamped elsewhere.
  return { low: successes <= 0 ? 0 : Math.max(0, centre - margin), high: successes >= trials ? 1 : Math.min(1, centre + margin) };
}

/**
 * Newcombe's hybrid score interval (method 10) for p1 − p2, built from the two Wilson intervals:
 * it stays inside [−1, 1] and behaves at 0 successes, where the Wald interval does not.
 */
export function differenceInterval(a: { successes: number; trials: number }, b: { successes: number; trials: number }, z = Z_95): Interval {
  const p1 = a.trials > 0 ? a.successes / a.trials : 0;
  const p2 = b.trials > 0 ? b.successes / b.trials : 0;
  const w1 = wilsonInterval(a.successes, a.trials, z);
  const w2 = wilsonInterval(b.successes, b.trials, z);
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/** The standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7: plenty for a p-value). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export type TwoProportionTest = { z: number; pValue: number };

/**
 * The pooled two-proportion z-test of H0: p1 = p2, two-sided. z is 0 and p is 1 when either side
 * has no trials or the pooled rate is 0 or 1 (no variance: nothing can be told apart).
 */
export function twoProportionTest(a: { successes: number; trials: number }, b: { successes: number; trials: number }): TwoProportionTest {
  if (a.trials <= 0 || b.trials <= 0) return { z: 0, pValue: 1 };
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const variance = pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials);
  if (variance <= 0) return { z: 0, pValue: 1 };
  const z = (a.successes / a.trials - b.successes / b.trials) / Math.sqrt(variance);
  return { z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}
