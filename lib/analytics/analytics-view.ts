import type { Db } from "@/db";
import { domainTable, topLinks } from "@/db/queries/analytics-tables";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { campaignSeries, campaignSpan, type SeriesBucket, type SeriesPoint, seriesTotals, workspaceSeries } from "@/db/queries/analytics-series";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { engagementHeatMap, type HeatMap } from "@/db/queries/engagement-heat-map";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { dayIn, localDayRange, shiftDay } from "@/core/analytics/day-range";
import { funnelOf } from "@/core/analytics/funnel";
import type { EngagementTotals } from "@/core/analytics/engagement";
import { ANALYTICS_DEFAULT_DAYS, ANALYTICS_MAX_DAYS, ANALYTICS_MAX_HOUR_DAYS, ANALYTICS_TABLE_ROWS, type CampaignAnalyticsQuery, type WorkspaceAnalyticsQuery } from "./analytics-request";

/** A read slower than this is logged with what it read (the dashboard's goal is to answer within a second). */
const SLOW_READ_SECONDS = 1;

/** Times a view's read into sendline_analytics_read_seconds, and logs a slow one with its range (never contact data). */
async function timed<T>(view: "workspace" | "campaign", context: Record<string, unknown>, read: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await read();
  const elapsed = (performance.now() - started) / 1000;
  metrics().analyticsReadDuration.observe({ view }, elapsed);
  if (elapsed > SLOW_READ_SECONDS) logger.warn({ view, seconds: elapsed, ...context }, "analytics: slow read");
  return result;
}

/** A campaign whose events span at most this many hours is charted by hour (a send and its first days of opens). */
const HOURLY_SPAN_HOURS = 72;

/** The workspace's own zone (delivery settings; UTC until set), for requests that name none. */
export async function workspaceTimeZone(db: Db, workspaceId: string): Promise<string> {
  return (await getDeliverySettings(db, { workspaceId })).timezone;
}

function seriesView(points: readonly SeriesPoint[]) {
  return points.map((point) => ({ start: point.start.toISOString(), ...point.totals }));
}

function domainsView(rows: Awaited<ReturnType<typeof domainTable>>) {
  return rows.map((row) => ({ domain: row.domain, ...row.totals, rates: funnelOf(row.totals).rates }));
}

function linksView(rows: Awaited<ReturnType<typeof topLinks>>) {
  return rows.map((row) => ({ ...row, lastClickedAt: row.lastClickedAt?.toISOString() ?? null }));
}

function heatMapView(map: HeatMap, window: { since: Date; until: Date; timeZone: string }) {
  return { timeZone: window.timeZone, since: window.since.toISOString(), until: window.until.toISOString(), ...map };
}

function totalsView(totals: EngagementTotals) {
  return { totals, funnel: funnelOf(totals) };
}

/**
 * The workspace overview for local days from..to in a zone: daily series (UTC days: the rollup
 * keeps days), the funnel of that range, deliverability by domain and top links (all time: those
 * rollups keep no dates), and the best-hour heat map of that range's human opens and clicks.
 */
export async function workspaceAnalytics(db: Db, params: { workspaceId: string; query: WorkspaceAnalyticsQuery; now?: Date }) {
  return timed("workspace", { workspaceId: params.workspaceId, query: params.query }, () => readWorkspaceAnalytics(db, params));
}

async function readWorkspaceAnalytics(db: Db, params: { workspaceId: string; query: WorkspaceAnalyticsQuery; now?: Date }) {
  const { workspaceId, query } = params;
  const timeZone = query.tz ?? (await workspaceTimeZone(db, workspaceId));
  const toDay = query.to ?? dayIn(params.now ?? new Date(), timeZone);
  const fromDay = query.from ?? shiftDay(toDay, -(ANALYTICS_DEFAULT_DAYS - 1));
  const window = localDayRange(fromDay, toDay, timeZone);
  const [points, domains, links, heatMap] = await Promise.all([
    workspaceSeries(db, { workspaceId, fromDay, toDay, channel: query.channel ?? null }),
    domainTable(db, { workspaceId, campaignId: null, limit: ANALYTICS_TABLE_ROWS }),
    topLinks(db, { workspaceId, campaignId: null, limit: ANALYTICS_TABLE_ROWS }),
    engagementHeatMap(db, { workspaceId, campaignId: null, ...window, timeZone }),
  ]);
  return {
    range: { from: fromDay, to: toDay, timeZone, channel: query.channel ?? null },
    ...totalsView(seriesTotals(points)),
    series: { bucket: "day" as const, timeZone: "UTC", points: seriesView(points) },
    domains: domainsView(domains),
    links: linksView(links),
    heatMap: heatMapView(heatMap, { ...window, timeZone }),
  };
}

/**
 * One campaign's analytics. The funnel is the campaign's whole life (every hour it has); the
 * series covers from..to when given, else the span of its events, by hour when that span is
 * short. Links and domains are the campaign's; the heat map covers the same range as the series.
 */
export async function campaignAnalytics(db: Db, params: { workspaceId: string; campaignId: string; query: CampaignAnalyticsQuery; now?: Date }) {
  return timed("campaign", { workspaceId: params.workspaceId, campaignId: params.campaignId, query: params.query }, () => readCampaignAnalytics(db, params));
}

async function readCampaignAnalytics(db: Db, params: { workspaceId: string; campaignId: string; query: CampaignAnalyticsQuery; now?: Date }) {
  const { workspaceId, campaignId, query } = params;
  const timeZone = query.tz ?? (await workspaceTimeZone(db, workspaceId));
  const span = await campaignSpan(db, { workspaceId, campaignId });
  const lastAt = span ? new Date(span.last.getTime() + 3_600_000 - 1) : (params.now ?? new Date());
  const toDay = query.to ?? dayIn(lastAt, timeZone);
  let fromDay = query.from ?? dayIn(span?.first ?? lastAt, timeZone);
  // A campaign whose late events trickle in for more than a year is charted over its last year.
  if (!query.from && Date.parse(toDay) - Date.parse(fromDay) >= ANALYTICS_MAX_DAYS * 86_400_000) fromDay = shiftDay(toDay, -(ANALYTICS_MAX_DAYS - 1));
  const window = localDayRange(fromDay, toDay, timeZone);
  const shortSpan = span !== null && span.last.getTime() - span.first.getTime() < HOURLY_SPAN_HOURS * 3_600_000;
  const bucket: SeriesBucket = query.bucket ?? (query.from || query.to ? "day" : shortSpan || !span ? "hour" : "day");
  const seriesWindow = bucket === "hour" && !query.from && !query.to && span ? hourlyWindow(span) : window;
  const [points, lifetime, domains, links, heatMap] = await Promise.all([
    // Hours are the stored UTC hours whatever the zone (a +05:30 zone would otherwise relabel them half an hour off); days are local.
    campaignSeries(db, { workspaceId, campaignId, from: seriesWindow.since, to: seriesWindow.until, bucket, timeZone: bucket === "hour" ? "UTC" : timeZone }),
    campaignTotals(db, { workspaceId, campaignId }),
    domainTable(db, { workspaceId, campaignId, limit: ANALYTICS_TABLE_ROWS }),
    topLinks(db, { workspaceId, campaignId, limit: ANALYTICS_TABLE_ROWS }),
    engagementHeatMap(db, { workspaceId, campaignId, ...window, timeZone }),
  ]);
  return {
    range: { from: fromDay, to: toDay, timeZone },
    ...totalsView(lifetime),
    series: { bucket, timeZone, points: seriesView(points) },
    domains: domainsView(domains),
    links: linksView(links),
    heatMap: heatMapView(heatMap, { ...window, timeZone }),
  };
}

/** The hours a campaign has counters for, its last month at most (ANALYTICS_MAX_HOUR_DAYS). */
function hourlyWindow(span: { first: Date; last: Date }): { since: Date; until: Date } {
  const until = new Date(span.last.getTime() + 3_600_000);
  return { since: new Date(Math.max(span.first.getTime(), until.getTime() - ANALYTICS_MAX_HOUR_DAYS * 86_400_000)), until };
}

export type WorkspaceAnalyticsView = Awaited<ReturnType<typeof workspaceAnalytics>>;
export type CampaignAnalyticsView = Awaited<ReturnType<typeof campaignAnalytics>>;
