import { z } from "zod";
import type { CampaignAnalysisRow, CampaignGuardTrip } from "@/db/schema";
import { CAMPAIGN_RATES } from "@/core/analytics/campaign-rates";
import { GUARD_REASONS } from "@/core/analytics/campaign-guard";
import { engagementTotalsSchema } from "@/lib/api/contracts/analytics";

const share = z.number().meta({ description: "A share between 0 and 1 (0.003 = 0.3 %)" });
const interval = z.object({ low: z.number(), high: z.number() }).meta({ id: "RateInterval", description: "A 95 % confidence interval (Wilson score; Newcombe's for a difference)" });
const counters = engagementTotalsSchema;
const side = z.object({
  successes: z.number().int().meta({ description: "The numerator: messages counted" }),
  trials: z.number().int().meta({ description: "The denominator: messages sent, or reached (delivered, or sent minus bounced when that is more)" }),
  value: share.nullable().meta({ description: "successes / trials; null with no trials" }),
  interval,
});

export const rateComparisonSchema = z
  .object({
    rate: z.enum(CAMPAIGN_RATES),
    label: z.string(),
    better: z.enum(["higher", "lower"]),
    campaign: side,
    baseline: side.nullable(),
    difference: z.object({ absolute: z.number(), relative: z.number().nullable(), interval }).nullable(),
    pValue: z.number().nullable().meta({ description: "Two-sided pooled two-proportion z-test; flagged below 0.01" }),
    verdict: z.enum(["better", "worse", "in_line", "too_few", "no_baseline"]),
    text: z.string().meta({ description: "The comparison in words" }),
  })
  .meta({ id: "RateComparison" });

const phaseSchema = z.object({
  phase: z.enum(["finished", "settled"]).meta({ description: "`finished`: when the campaign ended; `settled`: 48 hours later, with late events" }),
  analyzedAt: z.iso.datetime({ offset: true }),
  totals: counters,
  baseline: z.object({ campaignIds: z.array(z.uuid()), totals: counters }),
  summary: z.string(),
  anomalies: z.array(z.object({ rate: z.enum(CAMPAIGN_RATES), verdict: z.enum(["better", "worse"]) })),
  rates: z.array(rateComparisonSchema),
});

const guardPauseSchema = z.object({
  id: z.uuid(),
  trippedAt: z.iso.datetime({ offset: true }),
  readings: z.array(z.object({ reason: z.enum(GUARD_REASONS), rate: share, count: z.number().int(), of: z.number().int(), threshold: share })),
  acknowledgedAt: z.iso.datetime({ offset: true }).nullable().meta({ description: "When a resume accepted these numbers (the guard pauses again only if a rate gets worse)" }),
});

export const campaignAnalysisResponse = z
  .object({
    campaignId: z.uuid(),
    analyses: z.array(phaseSchema).meta({ description: "Newest phase first; empty until the campaign finished" }),
    guardPauses: z.array(guardPauseSchema).meta({ description: "Automatic pauses of this campaign, newest first" }),
  })
  .meta({ id: "CampaignAnalysis" });
export type CampaignAnalysisResponse = z.infer<typeof campaignAnalysisResponse>;

export function campaignAnalysisView(campaignId: string, analyses: CampaignAnalysisRow[], trips: CampaignGuardTrip[]): CampaignAnalysisResponse {
  return {
    campaignId,
    analyses: analyses.map((row) => ({
      phase: row.phase,
      analyzedAt: row.analyzedAt.toISOString(),
      totals: row.totals,
      baseline: { campaignIds: row.baselineCampaignIds, totals: row.baselineTotals },
      summary: row.analysis.summary,
      anomalies: row.analysis.anomalies,
      rates: row.analysis.rates,
    })),
    guardPauses: trips.map((trip) => ({ id: trip.id, trippedAt: trip.trippedAt.toISOString(), readings: trip.readings, acknowledgedAt: trip.acknowledgedAt?.toISOString() ?? null })),
  };
}
