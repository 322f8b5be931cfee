import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaignStatsHourly } from "@/db/schema";
import { addTotals, emptyTotals, ENGAGEMENT_COUNTERS, type EngagementCounter, type EngagementTotals } from "@/core/analytics/engagement";

/** Every counter summed over the selected hours: the select list of any campaign rollup total. */
export const SUMMED_COUNTERS = Object.fromEntries(
  ENGAGEMENT_COUNTERS.map((counter) => [counter, sql<number>`coalesce(sum(${campaignStatsHourly[counter]}), 0)::int`]),
) as Record<EngagementCounter, ReturnType<typeof sql<number>>>;

/** A campaign's counters over its whole life: the sum of its hours (a handful of rows per day sent). */
export async function campaignTotals(db: Db, params: { workspaceId: string; campaignId: string }): Promise<EngagementTotals> {
  const [row] = await db
    .select(SUMMED_COUNTERS)
    .from(campaignStatsHourly)
    .where(and(eq(campaignStatsHourly.workspaceId, params.workspaceId), eq(campaignStatsHourly.campaignId, params.campaignId)));
  return addTotals(emptyTotals(), row ?? {});
}
