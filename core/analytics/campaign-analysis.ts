import type { EngagementTotals } from "./engagement";
import { CAMPAIGN_RATES, type CampaignRate, formatPercent, RATE_DEFINITIONS, rateCount } from "./campaign-rates";
import { differenceInterval, type Interval, twoProportionTest, wilsonInterval } from "./rate-statistics";

/**
 * A finished campaign against its workspace's trailing baseline: the last BASELINE_CAMPAIGNS
 * finished campaigns of the same channel within BASELINE_DAYS, pooled (their counters summed, so
 * a big campaign weighs by its size, as its messages do).
 */
export const BASELINE_CAMPAIGNS = 10;
export const BASELINE_DAYS = 90;
/** Fewer finished campaigns than this and there is no baseline to speak of. */
export const MIN_BASELINE_CAMPAIGNS = 3;
/** Below this many trials on either side a rate is reported but never flagged. */
export const MIN_TRIALS = 100;
/**
 * Seven rates are tested per campaign: at 1 % per test about one campaign in fifteen would show a
 * false anomaly, at the usual 5 % one in three. 1 % keeps the flags worth reading.
 */
export const ANOMALY_P_VALUE = 0.01;

export type RateSide = { successes: number; trials: number; value: number | null; interval: Interval };

export type RateVerdict = "better" | "worse" | "in_line" | "too_few" | "no_baseline";

export type RateComparison = {
  rate: CampaignRate;
  label: string;
  better: "higher" | "lower";
  campaign: RateSide;
  baseline: RateSide | null;
  /** campaign − baseline, in shares (0.012 = 1.2 points), with Newcombe's 95 % interval; `relative` is the change as a share of the baseline. */
  difference: { absolute: number; relative: number | null; interval: Interval } | null;
  pValue: number | null;
  verdict: RateVerdict;
  text: string;
};

export type CampaignAnalysis = {
  baselineCampaigns: number;
  rates: RateComparison[];
  /** The rates significantly better or worse than the baseline. */
  anomalies: { rate: CampaignRate; verdict: "better" | "worse" }[];
  summary: string;
};

function side(count: { successes: number; trials: number }): RateSide {
  return { ...count, value: count.trials > 0 ? count.successes / count.trials : null, interval: wilsonInterval(count.successes, count.trials) };
}

const points = (share: number) => `${share >= 0 ? "+" : "−"}${Math.abs(share * 100).toFixed(2)} points`;
const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);
const of = (s: RateSide, denominator: string) => `${s.successes.toLocaleString("en-US")} of ${s.trials.toLocaleString("en-US")} ${denominator}`;
const withInterval = (s: RateSide) => `${formatPercent(s.value ?? 0)} (95 % CI ${formatPercent(s.interval.low)}–${formatPercent(s.interval.high)})`;

function compareRate(rate: CampaignRate, campaign: EngagementTotals, baseline: EngagementTotals | null): RateComparison {
  const definition = RATE_DEFINITIONS[rate];
  const own = side(rateCount(rate, campaign));
  const denominator = definition.denominator === "sent" ? "sent" : "reached";
  const base = { rate, label: definition.label, better: definition.better, campaign: own };
  if (own.value === null) return { ...base, baseline: null, difference: null, pValue: null, verdict: "too_few", text: `${definition.label}: nothing ${denominator} to measure.` };
  const stated = `${definition.label} ${withInterval(own)}, ${of(own, denominator)}`;
  if (!baseline) return { ...base, baseline: null, difference: null, pValue: null, verdict: "no_baseline", text: `${stated}; no baseline yet.` };
  const pooled = side(rateCount(rate, baseline));
  if (pooled.value === null) return { ...base, baseline: pooled, difference: null, pValue: null, verdict: "too_few", text: `${stated}; the baseline has nothing ${denominator} to compare with.` };
  const absolute = own.value - pooled.value;
  const difference = { absolute, relative: pooled.value > 0 ? absolute / pooled.value : null, interval: differenceInterval(own, pooled) };
  const { pValue } = twoProportionTest(own, pooled);
  const against = `baseline ${formatPercent(pooled.value)} (${of(pooled, denominator)})`;
  const size = `${points(absolute)}${difference.relative !== null ? `, ${difference.relative >= 0 ? "+" : "−"}${Math.abs(difference.relative * 100).toFixed(0)} %` : ""}`;
  if (own.trials < MIN_TRIALS || pooled.trials < MIN_TRIALS) {
    return { ...base, baseline: pooled, difference, pValue, verdict: "too_few", text: `${stated}; ${against}: too few messages (under ${MIN_TRIALS}) to tell.` };
  }
  if (pValue >= ANOMALY_P_VALUE || absolute === 0) {
    return { ...base, baseline: pooled, difference, pValue, verdict: "in_line", text: `${stated}: in line with the ${against} (${size}, ${pText(pValue)}).` };
  }
  const higher = absolute > 0;
  const verdict = higher === (definition.better === "higher") ? "better" : "worse";
  return {
    ...base,
    baseline: pooled,
    difference,
    pValue,
    verdict,
    text: `${stated} is significantly ${higher ? "higher" : "lower"} (${verdict}) than the ${against}: ${size} (95 % CI ${points(difference.interval.low)} to ${points(difference.interval.high)}, ${pText(pValue)}).`,
  };
}

/**
 * Compares each rate of a campaign with the pooled baseline. `baseline` is null, or counts fewer
 * than MIN_BASELINE_CAMPAIGNS campaigns, when the workspace has not finished enough campaigns.
 */
export function compareWithBaseline(campaign: EngagementTotals, baseline: { totals: EngagementTotals; campaigns: number } | null): CampaignAnalysis {
  const usable = baseline && baseline.campaigns >= MIN_BASELINE_CAMPAIGNS ? baseline.totals : null;
  const rates = CAMPAIGN_RATES.map((rate) => compareRate(rate, campaign, usable));
  const anomalies = rates.flatMap((r) => (r.verdict === "better" || r.verdict === "worse" ? [{ rate: r.rate, verdict: r.verdict }] : []));
  const campaigns = baseline?.campaigns ?? 0;
  let summary: string;
  if (!usable) {
    summary = `No baseline yet: the workspace has ${campaigns} finished campaign${campaigns === 1 ? "" : "s"} of this channel in the last ${BASELINE_DAYS} days (${MIN_BASELINE_CAMPAIGNS} needed); rates are shown with their 95 % intervals only.`;
  } else if (anomalies.length === 0) {
    summary = `In line with the baseline of the last ${campaigns} campaigns on every rate (no difference significant at p < ${ANOMALY_P_VALUE}).`;
  } else {
    const words = (verdict: "better" | "worse") =>
      anomalies.filter((a) => a.verdict === verdict).map((a) => RATE_DEFINITIONS[a.rate].label.toLowerCase());
    const parts = [
      words("worse").length ? `worse than the baseline on ${words("worse").join(", ")}` : null,
      words("better").length ? `better on ${words("better").join(", ")}` : null,
    ].filter(Boolean);
    summary = `Compared with the last ${campaigns} campaigns: ${parts.join("; ")}.`;
  }
  return { baselineCampaigns: campaigns, rates, anomalies, summary };
}
