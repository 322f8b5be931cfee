/**
 * Inngest's retry schedule (pkg/backoff/backoff.go, `TableBackoff`): the wait after failed attempt
 * n (0-based), the last entry repeating. Retries of many failing runs would otherwise fire together,
 * so each wait gets 0–30 s of random jitter, as Inngest adds.
 */
export const INNGEST_BACKOFF_MS = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200].map((s) => s * 1000);
const JITTER_MS = 30_000;

/** Milliseconds to wait after the failed attempt `attempt` (0 = the first try). */
export type Backoff = (attempt: number) => number;

export function inngestBackoff(attempt: number, random: () => number = Math.random): number {
  const base = INNGEST_BACKOFF_MS[Math.min(Math.max(0, attempt), INNGEST_BACKOFF_MS.length - 1)]!;
  return base + Math.floor(random() * JITTER_MS);
}
