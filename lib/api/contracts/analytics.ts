import { z } from "zod";
import { ENGAGEMENT_COUNTERS } from "@/core/analytics/engagement";
import { FUNNEL_STEPS, RATE_NAMES } from "@/core/analytics/funnel";
import { CHANNELS } from "@/core/messages/channels";
import { apiOperation } from "@/lib/api/api-operation";
import { campaignAnalyticsExportQuery, campaignAnalyticsQuery, workspaceAnalyticsExportQuery, workspaceAnalyticsQuery } from "@/lib/analytics/analytics-request";
import { idParams, nullableTimestamp, timestamp } from "./common";

const tag = "Analytics";
const count = z.number().int();

/** The rollup counters, one schema for every answer that carries them (analytics, analyses). */
export const engagementTotalsSchema = z
  .object(Object.fromEntries(ENGAGEMENT_COUNTERS.map((counter) => [counter, count])) as Record<(typeof ENGAGEMENT_COUNTERS)[number], typeof count>)
  .meta({
    id: "EngagementTotals",
    description:
      "Rollup counters. `opened`/`clicked` count every human open/click; `uniqueOpened`/`uniqueClicked` count messages a person opened/clicked at least once (a click proves an open); `machineOpened`/`machineClicked` are privacy proxies, scanners and prefetches, counted in no rate.",
  });

const rate = z
  .object({
    numerator: count,
    denominator: count,
    value: z.number().nullable().meta({ description: "numerator / denominator (0–1); null when the denominator is 0" }),
  })
  .meta({ id: "Rate" });

const funnel = z
  .object({
    steps: z.array(z.object({ step: z.enum(FUNNEL_STEPS), count })),
    rates: z.object(Object.fromEntries(RATE_NAMES.map((name) => [name, rate])) as Record<(typeof RATE_NAMES)[number], typeof rate>).meta({
      description:
        "deliveryRate = delivered / sent; openRate = unique human opens / delivered; clickRate = unique human clicks / delivered; clickToOpenRate = unique human clicks / unique human opens; bounceRate and hardBounceRate = bounces / sent; complaintRate and unsubscribeRate = / delivered",
    }),
    machine: z.object({ opened: count, clicked: count }).meta({ description: "Machine opens and clicks, shown apart" }),
    human: z.object({ opened: count, clicked: count }).meta({ description: "Every human open and click (not only the first per message)" }),
  })
  .meta({ id: "Funnel" });

const series = z.object({
  bucket: z.enum(["hour", "day"]),
  timeZone: z.string().meta({ description: "The zone the days are: the requested one for a campaign, UTC for the workspace (its rollup keeps UTC days)" }),
  points: z.array(engagementTotalsSchema.extend({ start: timestamp.meta({ description: "The bucket's first instant" }) })),
});

const domains = z.array(engagementTotalsSchema.extend({ domain: z.string(), rates: funnel.shape.rates })).meta({ description: "Deliverability by recipient domain (mailbox provider), most sent first; all time" });
const links = z
  .array(z.object({ url: z.string(), clicked: count, uniqueClicked: count, machineClicked: count, lastClickedAt: nullableTimestamp }))
  .meta({ description: "Most clicked links by unique human clicks; all time" });
const heatMap = z
  .object({
    timeZone: z.string(),
    since: timestamp,
    until: timestamp,
    cells: z.array(z.object({ dayOfWeek: z.number().int().min(1).max(7).meta({ description: "ISO day of week: 1 Monday … 7 Sunday" }), hour: z.number().int().min(0).max(23), opens: count, clicks: count })),
    machineOpens: count,
    machineClicks: count,
  })
  .meta({ id: "EngagementHeatMap", description: "Human opens and clicks per local day of week × hour over [since, until); cells without any are left out; machine ones counted apart" });

export const workspaceAnalyticsSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), channel: z.enum(CHANNELS).nullable() }),
    totals: engagementTotalsSchema,
    funnel,
    series,
    domains,
    links,
    heatMap,
  })
  .meta({ id: "WorkspaceAnalytics" });

export const campaignAnalyticsSchema = z
  .object({ range: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }), totals: engagementTotalsSchema, funnel, series, domains, links, heatMap })
  .meta({ id: "CampaignAnalytics" });

const csvDescription =
  "`table=series` (one row per bucket, every counter), `links`, `domains` (counters and rates) or `heatmap` (day_of_week,hour,opens,clicks). UTF-8 with a BOM; formula-like cells are escaped.";

export const analyticsApi = {
  workspace: apiOperation({
    method: "get",
    path: "/analytics",
    tag,
    summary: "The workspace's engagement: daily series, funnel with denominators, domains, top links, best-hour heat map",
    description:
      "Local days `from`..`to` in `tz` (default: the last 30 days in the workspace's zone). The series and funnel cover that range (UTC days); domains and links are all time; the heat map counts human opens and clicks in the range.",
    query: workspaceAnalyticsQuery,
    responses: { 200: { description: "The overview", schema: workspaceAnalyticsSchema } },
  }),
  workspaceExport: apiOperation({
    method: "get",
    path: "/analytics/export",
    tag,
    summary: "One table of the overview as CSV",
    description: csvDescription,
    query: workspaceAnalyticsExportQuery,
    responses: { 200: { description: "The CSV file", contentType: "text/csv" } },
  }),
  campaign: apiOperation({
    method: "get",
    path: "/campaigns/{id}/analytics",
    tag,
    summary: "A campaign's engagement: funnel (its whole life), series, top links, domains, heat map",
    description:
      "Without `from`/`to` the series spans the campaign's events, by hour when they span 3 days or less. Days are local days of `tz`, summed from UTC hours.",
    params: idParams("campaign"),
    query: campaignAnalyticsQuery,
    responses: { 200: { description: "The campaign's analytics", schema: campaignAnalyticsSchema } },
    errors: { 404: "No such campaign in this workspace" },
  }),
  campaignExport: apiOperation({
    method: "get",
    path: "/campaigns/{id}/analytics/export",
    tag,
    summary: "One table of a campaign's analytics as CSV",
    description: csvDescription,
    params: idParams("campaign"),
    query: campaignAnalyticsExportQuery,
    responses: { 200: { description: "The CSV file", contentType: "text/csv" } },
    errors: { 404: "No such campaign in this workspace" },
  }),
};
