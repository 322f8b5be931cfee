import { AB_SIGNIFICANCE_LEVEL, abVariantLabel, pickAbWinner } from "@/core/ab-tests/ab-test";
import type { Db } from "@/db";
import { getJourneyAbTest, type JourneyAbTestKey, type JourneyAbTestRow, recordJourneyAbWinner } from "@/db/queries/journey-ab-tests";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { journeyAbConfig, journeyAbProgress } from "./journey-ab-progress";

export type JourneyAbSettlement =
  | { ok: true; winner: number; recordedNow: boolean; test: JourneyAbTestRow }
  | { ok: false; reason: "not found" | "no sends" }
  | { ok: false; reason: "not due"; decideAt: Date | null };

/**
 * A journey step's A/B winner: the recorded one if there is one; else, when the clock allows
 * (`window`: every variant's sample sent and its window over, or the time limit) or a person asks
 * (`manual`, once anything was sent), picked from the sample's counts (core pickAbWinner: the best
 * rate, ties to the first) and recorded once by a conditional UPDATE. Whoever loses the race —
 * the cron's replayed step, a second click — reads the recorded winner back.
 */
export async function settleJourneyAbTest(db: Db, params: JourneyAbTestKey & { workspaceId: string }, decidedBy: "window" | "manual", now: Date = new Date()): Promise<JourneyAbSettlement> {
  const key = { journeyId: params.journeyId, version: params.version, nodeId: params.nodeId };
  const row = await getJourneyAbTest(db, key);
  if (!row || row.workspaceId !== params.workspaceId) return { ok: false, reason: "not found" };
  if (row.winner !== null) return { ok: true, winner: row.winner, recordedNow: false, test: row };
  const test = await journeyAbConfig(db, key);
  if (!test) return { ok: false, reason: "not found" };
  const { counts, decideAt } = await journeyAbProgress(db, { ...key, workspaceId: row.workspaceId, test });
  if (decidedBy === "window" && (!decideAt || now < decideAt)) return { ok: false, reason: "not due", decideAt };
  if (counts.every((count) => count.sent === 0)) return { ok: false, reason: "no sends" };

  const outcome = pickAbWinner(counts);
  const variants = counts.map(({ variant, sent, conversions }) => ({ variant, sent, conversions }));
  const recorded = await recordJourneyAbWinner(db, { ...key, winner: outcome.winner, result: { ...outcome, metric: test.metric, variants }, decidedBy, decidedAt: now });
  if (!recorded) {
    const current = await getJourneyAbTest(db, key);
    if (!current || current.winner === null) throw new Error(`journey ${key.journeyId} v${key.version} step ${key.nodeId}: the A/B winner was neither recorded nor found`);
    return { ok: true, winner: current.winner, recordedNow: false, test: current };
  }
  metrics().abWinners.inc({ source: "journey", metric: test.metric, decided_by: decidedBy, significant: outcome.pValue < AB_SIGNIFICANCE_LEVEL ? "yes" : "no" });
  logger.info(
    {
      workspaceId: row.workspaceId,
      ...key,
      metric: test.metric,
      winner: abVariantLabel(outcome.winner),
      decidedBy,
      pValue: outcome.pValue,
      variants: counts.map((count, v) => ({ variant: abVariantLabel(v), sent: count.sent, conversions: count.conversions, rate: outcome.rates[v] })),
    },
    "journeys: A/B test winner picked",
  );
  return { ok: true, winner: outcome.winner, recordedNow: true, test: recorded };
}
