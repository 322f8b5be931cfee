import { AB_SIGNIFICANCE_LEVEL, abVariantLabel, pickAbWinner } from "@/core/ab-tests/ab-test";
import { journeyGraph, type JourneyGraph } from "@/core/journeys/graph";
import type { Db } from "@/db";
import { listJourneyAbTests } from "@/db/queries/journey-ab-tests";
import { getJourney, getJourneyVersion } from "@/db/queries/journeys";
import { journeyAbProgress } from "./journey-ab-progress";

/**
 * Each A/B send step of a journey version as the API and the dashboard show it: per variant what
 * it changes, how many enrollments got it (in the test and after it), the sample's sends,
 * conversions and rate; the leader with its significance while the test runs; and the winner with
 * the counts and p-value recorded when it was picked. Steps in graph order.
 */
export async function journeyAbTestsView(db: Db, params: { workspaceId: string; journeyId: string; version: number; graph: JourneyGraph }) {
  const rows = await listJourneyAbTests(db, { journeyId: params.journeyId, version: params.version });
  const views = [];
  for (const node of params.graph.nodes) {
    if (node.type !== "send" || !node.abTest) continue;
    const test = node.abTest;
    const row = rows.find((r) => r.nodeId === node.id);
    const { counts, decideAt } = row
      ? await journeyAbProgress(db, { journeyId: params.journeyId, version: params.version, nodeId: node.id, workspaceId: params.workspaceId, test })
      : { counts: test.variants.map((_, variant) => ({ variant, assigned: 0, afterWinner: 0, sent: 0, conversions: 0 })), decideAt: null };
    const live = pickAbWinner(counts);
    const sentAny = counts.some((count) => count.sent > 0);
    const recorded = row?.winner !== null && row?.winner !== undefined ? row : null;
    views.push({
      stepId: node.id,
      label: node.label ?? node.id,
      metric: test.metric,
      goalEvent: test.goalEvent ?? null,
      sampleSize: test.sampleSize,
      windowHours: test.windowHours,
      state: recorded ? ("decided" as const) : row ? ("testing" as const) : ("not_started" as const),
      startedAt: row?.startedAt.toISOString() ?? null,
      decideAt: recorded ? null : (decideAt?.toISOString() ?? null),
      canPickNow: !recorded && sentAny,
      variants: test.variants.map((variant, index) => ({
        variant: abVariantLabel(index),
        index,
        subject: variant.subject ?? null,
        templateId: variant.templateId ?? null,
        from: variant.from ?? null,
        delayMinutes: variant.delayMinutes ?? 0,
        assigned: counts[index]!.assigned,
        afterWinner: counts[index]!.afterWinner,
        sent: counts[index]!.sent,
        conversions: counts[index]!.conversions,
        rate: live.rates[index]!,
      })),
      leader: sentAny ? { variant: abVariantLabel(live.winner), pValue: live.pValue, confidence: live.confidence } : null,
      winner:
        recorded && recorded.result
          ? {
              variant: abVariantLabel(recorded.winner!),
              index: recorded.winner!,
              pValue: recorded.result.pValue,
              confidence: recorded.result.confidence,
              significant: recorded.result.pValue < AB_SIGNIFICANCE_LEVEL,
              decidedBy: (recorded.decidedBy ?? "window") as "window" | "manual",
              decidedAt: recorded.decidedAt?.toISOString() ?? null,
              variants: recorded.result.variants.map((v, i) => ({ variant: abVariantLabel(v.variant), sent: v.sent, conversions: v.conversions, rate: recorded.result!.rates[i] ?? 0 })),
            }
          : null,
    });
  }
  return views;
}

export type JourneyAbStepView = Awaited<ReturnType<typeof journeyAbTestsView>>[number];

/** The A/B steps of a journey's version, or null when the journey (in this workspace) or the version does not exist. */
export async function versionAbTestsView(db: Db, params: { workspaceId: string; journeyId: string; version: number }): Promise<JourneyAbStepView[] | null> {
  const journey = await getJourney(db, params);
  const row = journey ? await getJourneyVersion(db, { journeyId: journey.id, version: params.version }) : undefined;
  const graph = row ? journeyGraph.safeParse(row.graph) : undefined;
  if (!graph?.success) return null;
  return journeyAbTestsView(db, { ...params, graph: graph.data });
}
