import { journeyAbDecideAt, type JourneyAbTest } from "@/core/journeys/journey-ab-test";
import { journeyGraph, nodeById } from "@/core/journeys/graph";
import type { Db } from "@/db";
import { journeyAbVariantCounts, type JourneyAbTestKey, type JourneyAbVariantCount } from "@/db/queries/journey-ab-tests";
import { getJourneyVersion } from "@/db/queries/journeys";

/** The A/B test settings of a version's send step, from the version's graph (never the draft); undefined when it has none. */
export async function journeyAbConfig(db: Db, key: JourneyAbTestKey): Promise<JourneyAbTest | undefined> {
  const version = await getJourneyVersion(db, { journeyId: key.journeyId, version: key.version });
  const parsed = version ? journeyGraph.safeParse(version.graph) : undefined;
  const node = parsed?.success ? nodeById(parsed.data, key.nodeId) : undefined;
  return node?.type === "send" ? node.abTest : undefined;
}

export type JourneyAbProgress = { counts: JourneyAbVariantCount[]; decideAt: Date | null };

/** Each variant's counts (every variant, in order, zeros for one not reached yet) and when the clock may decide the test. */
export async function journeyAbProgress(db: Db, params: JourneyAbTestKey & { workspaceId: string; test: JourneyAbTest }): Promise<JourneyAbProgress> {
  const { test, ...key } = params;
  const rows = await journeyAbVariantCounts(db, { ...key, metric: test.metric, goalEvent: test.goalEvent, sampleSize: test.sampleSize, windowHours: test.windowHours });
  const counts = test.variants.map(
    (_, variant) => rows.find((row) => row.variant === variant) ?? { variant, assigned: 0, afterWinner: 0, sent: 0, conversions: 0, sampleFullAt: null, firstSentAt: null },
  );
  const firsts = counts.flatMap((count) => (count.firstSentAt ? [count.firstSentAt.getTime()] : []));
  const firstSentAt = firsts.length > 0 ? new Date(Math.min(...firsts)) : null;
  return { counts, decideAt: journeyAbDecideAt({ progress: counts, variants: test.variants.length, windowHours: test.windowHours, firstSentAt }) };
}
