import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { addTotals, emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import { rowsOf } from "./rows-of";

/** Every rollup counter summed, as camelCase columns (ENGAGEMENT_COUNTERS order), for the rollup alias `r`. */
const SUMMED_COUNTERS = sql.raw(
  [
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["opened", "opened"],
    ["unique_opened", "uniqueOpened"],
    ["machine_opened", "machineOpened"],
    ["clicked", "clicked"],
    ["unique_clicked", "uniqueClicked"],
    ["machine_clicked", "machineClicked"],
    ["bounced", "bounced"],
    ["hard_bounced", "hardBounced"],
    ["complained", "complained"],
    ["unsubscribed", "unsubscribed"],
  ]
    .map(([column, name]) => `coalesce(sum(r.${column}), 0)::int as "${name}"`)
    .join(", "),
);

export type SeriesPoint = { start: Date; totals: EngagementTotals };
export type SeriesBucket = "hour" | "day";

function toPoints(result: unknown): SeriesPoint[] {
  return rowsOf<Record<string, unknown>>(result).map((row) => ({ start: new Date(row.start as string | Date), totals: addTotals(emptyTotals(), row as Record<string, number>) }));
}

/**
 * campaign-series: a campaign's counters per bucket over [from, to), every bucket present (zeros
 * where nothing happened, so a chart's x axis is time, not "hours that had events").
 *
 * Hours are the stored UTC hours. Days are local days of `timeZone`, summed from hours: buckets
 * are generated as local midnights and turned into instants (so a DST day is 23 or 25 hours
 * long), and an hour counts to the local day its start falls in (in a zone with a half-hour
 * offset, the hour straddling midnight goes to the day it starts in).
 */
export async function campaignSeries(
  db: Db,
  params: { workspaceId: string; campaignId: string; from: Date; to: Date; bucket: SeriesBucket; timeZone: string },
): Promise<SeriesPoint[]> {
  const { workspaceId, campaignId, from, to, bucket, timeZone } = params;
  const result = await db.execute(sql`
    with buckets as (
      select local_start, local_start at time zone ${timeZone} as start
      from generate_series(
        date_trunc(${bucket}, ${from.toISOString()}::timestamptz at time zone ${timeZone}),
        ${to.toISOString()}::timestamptz at time zone ${timeZone},
        ${`1 ${bucket}`}::interval) as local_start
      where local_start at time zone ${timeZone} < ${to.toISOString()}::timestamptz
    ),
    sums as (
      select date_trunc(${bucket}, r.hour at time zone ${timeZone}) as local_start, ${SUMMED_COUNTERS}
      from campaign_stats_hourly r
      where r.workspace_id = ${workspaceId}::uuid and r.campaign_id = ${campaignId}::uuid
        and r.hour >= (select min(start) from buckets) and r.hour < ${to.toISOString()}::timestamptz
      group by 1
    )
    select b.start, s.* from buckets b left join sums s on s.local_start = b.local_start
    order by b.local_start`);
  return toPoints(result);
}

/** campaign-span: the first and last hour a campaign has counters for (null: none yet), the default range of its charts. */
export async function campaignSpan(db: Db, params: { workspaceId: string; campaignId: string }): Promise<{ first: Date; last: Date } | null> {
  const [row] = rowsOf<{ first: string | Date | null; last: string | Date | null }>(
    await db.execute(sql`
      select min(hour) as first, max(hour) as last from campaign_stats_hourly
      where workspace_id = ${params.workspaceId}::uuid and campaign_id = ${params.campaignId}::uuid`),
  );
  return row?.first && row.last ? { first: new Date(row.first), last: new Date(row.last) } : null;
}

/**
 * workspace-series: everything a workspace sent (campaigns and transactional), per UTC calendar
 * day from `fromDay` to `toDay` inclusive, one channel or all. The rollup keeps UTC days, not
 * hours, so these days are UTC days whatever zone the caller reads them in.
 */
export async function workspaceSeries(db: Db, params: { workspaceId: string; fromDay: string; toDay: string; channel: string | null }): Promise<SeriesPoint[]> {
  const { workspaceId, fromDay, toDay, channel } = params;
  const result = await db.execute(sql`
    with days as (select day::date as day from generate_series(${fromDay}::date, ${toDay}::date, '1 day'::interval) as day),
    sums as (
      select r.day, ${SUMMED_COUNTERS} from workspace_stats_daily r
      where r.workspace_id = ${workspaceId}::uuid and r.day between ${fromDay}::date and ${toDay}::date
        and (${channel}::text is null or r.channel::text = ${channel}::text)
      group by r.day
    )
    select (d.day::text || 'T00:00:00Z') as start, s.* from days d left join sums s on s.day = d.day
    order by d.day`);
  return toPoints(result);
}

/** The sum of a series' points: a range's totals (the funnel of the same range as its chart). */
export function seriesTotals(points: readonly SeriesPoint[]): EngagementTotals {
  return points.reduce((into, point) => addTotals(into, point.totals), emptyTotals());
}
