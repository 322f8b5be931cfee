import { ENGAGEMENT_COUNTERS } from "@/core/analytics/engagement";
import { RATE_NAMES } from "@/core/analytics/funnel";
import { csvCell } from "@/lib/imports/error-report-csv";
import type { AnalyticsTable } from "./analytics-request";
import type { CampaignAnalyticsView, WorkspaceAnalyticsView } from "./analytics-view";

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const line = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(",")}\r\n`;

/**
 * One table of an analytics view as CSV text (the tables are bounded: a year of days, 20 links and
 * domains, 168 heat-map cells, so no streaming). Cells go through the import report's csvCell:
 * formula-escaped (a link or a domain could start with `=`), quoted when needed.
 */
export function analyticsCsv(view: WorkspaceAnalyticsView | CampaignAnalyticsView, table: AnalyticsTable): string {
  const counters = ENGAGEMENT_COUNTERS.map(snake);
  switch (table) {
    case "series":
      return (
        line(["start", ...counters]) + view.series.points.map((point) => line([point.start, ...ENGAGEMENT_COUNTERS.map((counter) => point[counter])])).join("")
      );
    case "links":
      return (
        line(["url", "clicked", "unique_clicked", "machine_clicked", "last_clicked_at"]) +
        view.links.map((link) => line([link.url, link.clicked, link.uniqueClicked, link.machineClicked, link.lastClickedAt])).join("")
      );
    case "domains":
      return (
        line(["domain", ...counters, ...RATE_NAMES.map(snake)]) +
        view.domains.map((row) => line([row.domain, ...ENGAGEMENT_COUNTERS.map((counter) => row[counter]), ...RATE_NAMES.map((name) => row.rates[name].value)])).join("")
      );
    case "heatmap":
      return line(["day_of_week", "hour", "opens", "clicks"]) + view.heatMap.cells.map((cell) => line([cell.dayOfWeek, cell.hour, cell.opens, cell.clicks])).join("");
  }
}

/** The CSV download: UTF-8 with a BOM so Excel reads it as such. */
export function analyticsCsvResponse(view: WorkspaceAnalyticsView | CampaignAnalyticsView, table: AnalyticsTable, name: string): Response {
  return new Response(`\uFEFF${analyticsCsv(view, table)}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-${table}.csv"`,
      "cache-control": "no-store",
    },
  });
}
