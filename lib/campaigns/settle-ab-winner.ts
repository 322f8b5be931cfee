import type { Db } from "@/db";
import { abVariantCounts, recordAbWinner } from "@/db/queries/campaign-ab-tests";
import { type Campaign, getCampaign } from "@/db/queries/campaigns";
import { AB_SIGNIFICANCE_LEVEL, abVariantLabel, pickAbWinner } from "@/core/ab-tests/ab-test";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

export type AbSettlement = { winner: number; campaign: Campaign; recordedNow: boolean };

/**
 * The A/B campaign's winner: the recorded one if there is one, else picked now from each
 * variant's counts (core pickAbWinner: highest rate, ties to the first) and recorded once
 * (recordAbWinner: a conditional UPDATE). Whoever loses the race — a replayed step, a retried
 * chunk, a person pressing "pick winner now" — reads the recorded winner back instead of its own,
 * so the rest of the audience always gets the one winner. Undefined for a campaign with no test.
 */
export async function settleAbWinner(db: Db, campaign: Campaign, decidedBy: "window" | "manual", now: Date = new Date()): Promise<AbSettlement | undefined> {
  const test = campaign.abTest;
  if (!test) return undefined;
  if (campaign.abWinner !== null) return { winner: campaign.abWinner, campaign, recordedNow: false };
  const ids = { workspaceId: campaign.workspaceId, campaignId: campaign.id };
  const counts = await abVariantCounts(db, { ...ids, metric: test.metric, goalEvent: test.goalEvent, since: campaign.startedAt ?? now });
  const byVariant = test.variants.map((_, variant) => counts.find((c) => c.variant === variant) ?? { variant, recipients: 0, sent: 0, conversions: 0 });
  const outcome = pickAbWinner(byVariant);
  const recorded = await recordAbWinner(db, {
    ...ids,
    winner: outcome.winner,
    result: { ...outcome, metric: test.metric, variants: byVariant.map(({ variant, sent, conversions }) => ({ variant, sent, conversions })) },
    decidedBy,
    decidedAt: now,
  });
  if (recorded) {
    metrics().abWinners.inc({ source: "campaign", metric: test.metric, decided_by: decidedBy, significant: outcome.pValue < AB_SIGNIFICANCE_LEVEL ? "yes" : "no" });
    logger.info(
      {
        ...ids,
        metric: test.metric,
        winner: abVariantLabel(outcome.winner),
        decidedBy,
        pValue: outcome.pValue,
        variants: byVariant.map((c, v) => ({ variant: abVariantLabel(v), sent: c.sent, conversions: c.conversions, rate: outcome.rates[v] })),
      },
      "campaigns: A/B test winner picked",
    );
    return { winner: outcome.winner, campaign: recorded, recordedNow: true };
  }
  const current = await getCampaign(db, ids);
  if (!current || current.abWinner === null) throw new Error(`campaign ${campaign.id}: the A/B winner was neither recorded nor found`);
  return { winner: current.abWinner, campaign: current, recordedNow: false };
}
