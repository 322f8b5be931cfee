import { and, desc, eq, gte, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaigns, campaignStatsHourly, contacts, engagementEvents, templates } from "@/db/schema";
import { addTotals, emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import type { HeatCell, SubjectPerformance } from "@/core/ai/recommendation-kinds";
import type { SegmentFilter } from "@/core/segments/segment-filter";
import { SUMMED_COUNTERS } from "./campaign-stats-hourly";
import { compileSegmentFilter } from "./compile-segment-filter";

/**
 * The aggregates recommendations are derived from. Each returns numbers or the workspace's own
 * template text, never a contact's data: these rows are what a model is shown.
 */

/**
 * How the subjects of the workspace's past email campaigns did: per subject, campaigns,
 * delivered and unique opens summed from the hourly rollup; the most recently used first.
 */
export async function pastSubjectPerformance(db: Db, params: { workspaceId: string; limit: number }): Promise<SubjectPerformance[]> {
  const totals = db
    .select({
      campaignId: campaignStatsHourly.campaignId,
      // Messages that reached a mailbox (core/analytics/campaign-rates.ts reachedCount): the
      // outbox and SMTP report no deliveries, and providers report them late.
      delivered: sql<number>`greatest(sum(${campaignStatsHourly.delivered}), sum(${campaignStatsHourly.sent}) - sum(${campaignStatsHourly.bounced}))`.as("delivered"),
      uniqueOpened: sql<number>`sum(${campaignStatsHourly.uniqueOpened})`.as("unique_opened"),
    })
    .from(campaignStatsHourly)
    .where(eq(campaignStatsHourly.workspaceId, params.workspaceId))
    .groupBy(campaignStatsHourly.campaignId)
    .as("totals");
  const rows = await db
    .select({
      subject: templates.subject,
      campaigns: sql<number>`count(*)::int`,
      delivered: sql<number>`coalesce(sum(${totals.delivered}), 0)::int`,
      uniqueOpened: sql<number>`coalesce(sum(${totals.uniqueOpened}), 0)::int`,
    })
    .from(campaigns)
    .innerJoin(templates, eq(templates.id, campaigns.templateId))
    .innerJoin(totals, eq(totals.campaignId, campaigns.id))
    .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.channel, "email"), isNotNull(templates.subject)))
    .groupBy(templates.subject)
    .orderBy(desc(sql`max(${campaigns.createdAt})`))
    .limit(params.limit);
  return rows
    .filter((row) => row.delivered > 0)
    .map((row) => ({
      subject: row.subject!,
      campaigns: row.campaigns,
      delivered: row.delivered,
      uniqueOpened: row.uniqueOpened,
      openRate: Math.round((row.uniqueOpened / row.delivered) * 10_000) / 10_000,
    }));
}

/**
 * Human opens and clicks of the segment's contacts since `since`, by weekday (0 = Sunday) and
 * hour in `timeZone`. Machine opens (privacy proxies, scanners) are not a person's habits.
 * Grouped by position: the zone is a parameter, and Postgres would not match two copies of it.
 */
export async function segmentEngagementHeatMap(
  db: Db,
  params: { workspaceId: string; filter: SegmentFilter; timeZone: string; since: Date },
): Promise<HeatCell[]> {
  const local = sql`(${engagementEvents.occurredAt} at time zone ${params.timeZone})`;
  const members = db.select({ id: contacts.id }).from(contacts).where(compileSegmentFilter(params.filter, params.workspaceId));
  const rows = await db
    .select({
      dayOfWeek: sql<number>`extract(dow from ${local})::int`,
      hour: sql<number>`extract(hour from ${local})::int`,
      opens: sql<number>`(count(*) filter (where ${engagementEvents.type} = 'opened'))::int`,
      clicks: sql<number>`(count(*) filter (where ${engagementEvents.type} = 'clicked'))::int`,
    })
    .from(engagementEvents)
    .where(
      and(
        eq(engagementEvents.workspaceId, params.workspaceId),
        gte(engagementEvents.occurredAt, params.since),
        inArray(engagementEvents.type, ["opened", "clicked"]),
        isNull(engagementEvents.machine),
        inArray(engagementEvents.contactId, members),
      ),
    )
    .groupBy(sql`1, 2`)
    .orderBy(sql`1, 2`);
  return rows.map((row) => ({ dayOfWeek: Number(row.dayOfWeek), hour: Number(row.hour), opens: Number(row.opens), clicks: Number(row.clicks) }));
}

/** The workspace's other campaigns of a channel, their counters summed: the baseline a campaign is read against. */
export async function otherCampaignsTotals(
  db: Db,
  params: { workspaceId: string; campaignId: string; channel: "email" | "sms" },
): Promise<{ campaigns: number; totals: EngagementTotals }> {
  const [row] = await db
    .select({ campaigns: sql<number>`count(distinct ${campaignStatsHourly.campaignId})::int`, ...SUMMED_COUNTERS })
    .from(campaignStatsHourly)
    .innerJoin(campaigns, eq(campaigns.id, campaignStatsHourly.campaignId))
    .where(and(eq(campaignStatsHourly.workspaceId, params.workspaceId), ne(campaignStatsHourly.campaignId, params.campaignId), eq(campaigns.channel, params.channel)));
  const { campaigns: count, ...sums } = row ?? { campaigns: 0 };
  return { campaigns: Number(count ?? 0), totals: addTotals(emptyTotals(), sums) };
}
