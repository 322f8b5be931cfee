import type { Db } from "@/db";
import { baselineCampaignIds, pooledCampaignTotals, saveCampaignAnalysis } from "@/db/queries/campaign-analyses";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { getCampaign } from "@/db/queries/campaigns";
import { BASELINE_CAMPAIGNS, BASELINE_DAYS, compareWithBaseline } from "@/core/analytics/campaign-analysis";

/** How long after a campaign finished its analysis is run again: bounces, complaints and opens trickle in for a day or two. */
export const ANALYSIS_SETTLE_HOURS = 48;

const DAY_MS = 24 * 60 * 60 * 1000;

export type StoredAnalysis = { analysisId: string; phase: "finished" | "settled"; baselineCampaigns: number; anomalies: number };

/**
 * Analyses a finished campaign against the workspace's trailing baseline and stores it under
 * `phase` (replacing that phase's earlier result). The workspace is re-derived from the campaign
 * row (invariant 5); null when there is no such campaign in that workspace (deleted since).
 */
export async function analyzeFinishedCampaign(db: Db, ids: { workspaceId: string; campaignId: string }, phase: "finished" | "settled"): Promise<StoredAnalysis | null> {
  const campaign = await getCampaign(db, ids);
  if (!campaign) return null;
  const finishedAt = campaign.finishedAt ?? new Date();
  const baselineIds = await baselineCampaignIds(db, {
    ...ids,
    channel: campaign.channel,
    finishedBefore: finishedAt,
    since: new Date(finishedAt.getTime() - BASELINE_DAYS * DAY_MS),
    limit: BASELINE_CAMPAIGNS,
  });
  const [totals, baselineTotals] = await Promise.all([campaignTotals(db, ids), pooledCampaignTotals(db, { workspaceId: ids.workspaceId, campaignIds: baselineIds })]);
  const analysis = compareWithBaseline(totals, { totals: baselineTotals, campaigns: baselineIds.length });
  const row = await saveCampaignAnalysis(db, { ...ids, phase, totals, baselineTotals, baselineCampaignIds: baselineIds, analysis });
  return { analysisId: row.id, phase, baselineCampaigns: baselineIds.length, anomalies: analysis.anomalies.length };
}
