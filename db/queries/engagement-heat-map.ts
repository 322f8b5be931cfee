import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "./rows-of";

/** One cell of the heat map: ISO day of week (1 Monday … 7 Sunday) × local hour (0–23). */
export type HeatMapCell = { dayOfWeek: number; hour: number; opens: number; clicks: number };
export type HeatMap = { cells: HeatMapCell[]; machineOpens: number; machineClicks: number };

/**
 * engagement-heat-map: when people open and click, as local day of week × hour in `timeZone`,
 * over [since, until), read from the event stream (the rollups keep no day of week). Only human
 * events count in the cells (an Apple privacy proxy "opens" when the mail arrives, which says
 * nothing about when a person reads); the machine ones are counted apart. Only cells with
 * events are returned. The (workspace_id, occurred_at) index bounds the scan to the window.
 */
export async function engagementHeatMap(
  db: Db,
  params: { workspaceId: string; campaignId: string | null; since: Date; until: Date; timeZone: string },
): Promise<HeatMap> {
  const { workspaceId, campaignId, since, until, timeZone } = params;
  const result = await db.execute(sql`
    select
      extract(isodow from occurred_at at time zone ${timeZone})::int as "dayOfWeek",
      extract(hour from occurred_at at time zone ${timeZone})::int as hour,
      count(*) filter (where type in ('opened', 'seen') and machine is null)::int as opens,
      count(*) filter (where type = 'clicked' and machine is null)::int as clicks,
      count(*) filter (where type in ('opened', 'seen') and machine is not null)::int as "machineOpens",
      count(*) filter (where type = 'clicked' and machine is not null)::int as "machineClicks"
    from engagement_events
    where workspace_id = ${workspaceId}::uuid and occurred_at >= ${since.toISOString()}::timestamptz and occurred_at < ${until.toISOString()}::timestamptz
      and type in ('opened', 'seen', 'clicked') and (${campaignId}::uuid is null or campaign_id = ${campaignId}::uuid)
    group by 1, 2
    order by 1, 2`);
  const rows = rowsOf<Record<string, number>>(result).map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])));
  return {
    cells: rows.filter((row) => row.opens! + row.clicks! > 0).map((row) => ({ dayOfWeek: row.dayOfWeek!, hour: row.hour!, opens: row.opens!, clicks: row.clicks! })),
    machineOpens: rows.reduce((sum, row) => sum + row.machineOpens!, 0),
    machineClicks: rows.reduce((sum, row) => sum + row.machineClicks!, 0),
  };
}
