import { z } from "zod";
import { normalizeTimezone } from "@/core/contacts/normalize-timezone";
import { daysBetween, isCalendarDay } from "@/core/analytics/day-range";
import { CHANNELS } from "@/core/messages/channels";

/** The longest range one request reads: a year of days (a chart of 366 points, a bounded scan of the heat map's window). */
export const ANALYTICS_MAX_DAYS = 366;
/** Hour buckets: a month at most (744 points). */
export const ANALYTICS_MAX_HOUR_DAYS = 31;
/** Without `from`, the workspace overview shows the last 30 days. */
export const ANALYTICS_DEFAULT_DAYS = 30;
/** Rows of the links and domains tables. */
export const ANALYTICS_TABLE_ROWS = 20;

const day = z.string().refine(isCalendarDay, "must be a calendar day like 2026-12-01 (YYYY-MM-DD)");
const timeZone = z
  .string()
  .refine((zone) => normalizeTimezone(zone).ok, "must be an IANA time zone such as Europe/Berlin")
  .transform((zone) => {
    const normalized = normalizeTimezone(zone);
    return normalized.ok ? normalized.value : zone;
  });

const range = {
  from: day.optional().meta({ description: "First local day (YYYY-MM-DD, included)" }),
  to: day.optional().meta({ description: "Last local day (YYYY-MM-DD, included)" }),
  tz: timeZone.optional().meta({ description: "IANA time zone the days and the heat map are read in; the workspace's zone (delivery settings) when absent" }),
};

function checkRange(query: { from?: string; to?: string; bucket?: string }, context: z.core.$RefinementCtx) {
  if (!query.from || !query.to) return;
  const days = daysBetween(query.from, query.to);
  if (days < 1) context.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  else if (days > ANALYTICS_MAX_DAYS) context.addIssue({ code: "custom", path: ["to"], message: `must be at most ${ANALYTICS_MAX_DAYS} days after from` });
  else if (query.bucket === "hour" && days > ANALYTICS_MAX_HOUR_DAYS)
    context.addIssue({ code: "custom", path: ["bucket"], message: `hour buckets cover at most ${ANALYTICS_MAX_HOUR_DAYS} days; use bucket=day` });
}

/** GET /api/v1/analytics. */
export const workspaceAnalyticsQuery = z
  .strictObject({
    ...range,
    channel: z.enum(CHANNELS).optional().meta({ description: "One channel's series and funnel; all channels when absent" }),
  })
  .superRefine(checkRange);

/** GET /api/v1/campaigns/{id}/analytics. */
export const campaignAnalyticsQuery = z
  .strictObject({
    ...range,
    bucket: z.enum(["hour", "day"]).optional().meta({ description: "Series buckets; hours for a campaign whose events span 3 days or less, days otherwise" }),
  })
  .superRefine(checkRange);

export const ANALYTICS_TABLES = ["series", "links", "domains", "heatmap"] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];
const table = z.enum(ANALYTICS_TABLES).meta({ description: "Which table: the time series, top links, by recipient domain, or the best-hour heat map" });

export const workspaceAnalyticsExportQuery = z
  .strictObject({ ...range, channel: z.enum(CHANNELS).optional(), table })
  .superRefine(checkRange);
export const campaignAnalyticsExportQuery = z
  .strictObject({ ...range, bucket: z.enum(["hour", "day"]).optional(), table })
  .superRefine(checkRange);

export type WorkspaceAnalyticsQuery = z.infer<typeof workspaceAnalyticsQuery>;
export type CampaignAnalyticsQuery = z.infer<typeof campaignAnalyticsQuery>;
