import { and, desc, eq, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaignAnalyses, type CampaignAnalysisRow, campaignStatsHourly, campaigns } from "@/db/schema";
import type { CampaignChannel } from "@/core/messages/channels";
import { addTotals, emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import { SUMMED_COUNTERS } from "./campaign-stats-hourly";

/**
 * The campaigns a finished campaign is compared with: the workspace's last `limit` campaigns of
 * the same channel that finished `sent` since `since` and before this one did (a re-run two days
 * later must not count campaigns that finished after it). Walks campaigns_workspace_created_idx's
 * workspace prefix; a workspace finishes a few campaigns a day.
 */
export async function baselineCampaignIds(
  db: Db,
  params: { workspaceId: string; campaignId: string; channel: CampaignChannel; finishedBefore: Date; since: Date; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, params.workspaceId),
        ne(campaigns.id, params.campaignId),
        eq(campaigns.channel, params.channel),
        eq(campaigns.status, "sent"),
        gte(campaigns.finishedAt, params.since),
        lte(campaigns.finishedAt, params.finishedBefore),
      ),
    )
    .orderBy(desc(campaigns.finishedAt), desc(campaigns.id))
    .limit(params.limit);
  return rows.map((row) => row.id);
}

/** Several campaigns' counters pooled into one (the primary key's campaign prefix, a few hours each). */
export async function pooledCampaignTotals(db: Db, params: { workspaceId: string; campaignIds: string[] }): Promise<EngagementTotals> {
  if (params.campaignIds.length === 0) return emptyTotals();
  const [row] = await db
    .select(SUMMED_COUNTERS)
    .from(campaignStatsHourly)
    .where(and(eq(campaignStatsHourly.workspaceId, params.workspaceId), inArray(campaignStatsHourly.campaignId, params.campaignIds)));
  return addTotals(emptyTotals(), row ?? {});
}

export type NewCampaignAnalysis = Omit<CampaignAnalysisRow, "id" | "analyzedAt">;

/** Stores a phase's analysis, replacing that phase's earlier one (a retried step writes the same row again). */
export async function saveCampaignAnalysis(db: Db, values: NewCampaignAnalysis): Promise<CampaignAnalysisRow> {
  const [row] = await db
    .insert(campaignAnalyses)
    .values(values)
    .onConflictDoUpdate({
      target: [campaignAnalyses.campaignId, campaignAnalyses.phase],
      set: { totals: values.totals, baselineTotals: values.baselineTotals, baselineCampaignIds: values.baselineCampaignIds, analysis: values.analysis, analyzedAt: sql`now()` },
    })
    .returning();
  return row!;
}

/** A campaign's stored analyses, the settled one first (it supersedes the first). */
export async function listCampaignAnalyses(db: Db, params: { workspaceId: string; campaignId: string }): Promise<CampaignAnalysisRow[]> {
  return db
    .select()
    .from(campaignAnalyses)
    .where(and(eq(campaignAnalyses.workspaceId, params.workspaceId), eq(campaignAnalyses.campaignId, params.campaignId)))
    .orderBy(desc(campaignAnalyses.phase));
}
