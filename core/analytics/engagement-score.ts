/**
 * A contact's engagement score: every human open (or in-app seen) adds 1, every click 3, and the
 * sum halves every 30 days. One number carries both recency and frequency, and it can be kept
 * incrementally (score at a moment + that moment), decayed to "now" when read.
 */
export const ENGAGEMENT_HALF_LIFE_DAYS = 30;
export const ENGAGEMENT_WEIGHTS = { opened: 1, seen: 1, clicked: 3 } as const;

const DAY_MS = 86_400_000;

/** The score stored at `scoredAt`, as it stands at `at` (never grows when `at` is earlier). */
export function decayedScore(score: number, scoredAt: Date, at: Date): number {
  const elapsedDays = Math.max(0, at.getTime() - scoredAt.getTime()) / DAY_MS;
  return score * 0.5 ** (elapsedDays / ENGAGEMENT_HALF_LIFE_DAYS);
}
