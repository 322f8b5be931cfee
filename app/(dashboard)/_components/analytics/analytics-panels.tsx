import type { CampaignAnalyticsView, WorkspaceAnalyticsView } from "@/lib/analytics/analytics-view";
import { ANALYTICS_TABLES } from "@/lib/analytics/analytics-request";
import { DomainsTable, HeatMapTable, LinksTable } from "./analytics-tables";
import { EngagementChart } from "./engagement-chart";
import { FunnelTable } from "./funnel-table";

const TABLE_LABELS = { series: "series", links: "links", domains: "domains", heatmap: "heat map" } as const;

/** Everything an analytics view shows, in reading order, with a CSV link per table. Shared by the Analytics page and the campaign page. */
export function AnalyticsPanels({ view, title, csvHref }: { view: WorkspaceAnalyticsView | CampaignAnalyticsView; title: string; csvHref: (table: string) => string }) {
  return (
    <div className="analytics">
      <p className="csv-links">
        Download CSV:{" "}
        {ANALYTICS_TABLES.map((table, index) => (
          <span key={table}>
            {index > 0 ? " · " : null}
            <a href={csvHref(table)} download>
              {TABLE_LABELS[table]}
            </a>
          </span>
        ))}
      </p>
      <EngagementChart title={title} points={view.series.points} bucket={view.series.bucket} timeZone={view.series.timeZone} />
      <FunnelTable funnel={view.funnel} />
      <LinksTable links={view.links} />
      <DomainsTable domains={view.domains} />
      <HeatMapTable heatMap={view.heatMap} />
    </div>
  );
}
