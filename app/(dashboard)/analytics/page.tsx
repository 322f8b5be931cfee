import type { Metadata } from "next";
import { CHANNELS } from "@/core/messages/channels";
import { workspaceAnalyticsQuery } from "@/lib/analytics/analytics-request";
import { workspaceAnalytics } from "@/lib/analytics/analytics-view";
import { AnalyticsPanels } from "../_components/analytics/analytics-panels";
import { FilterSelect, NoWorkspace, PageHeader } from "../_components/ui";
import { readAnalyticsQuery } from "../_lib/analytics-query";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Analytics" };

const FILTERS = ["from", "to", "tz", "channel"] as const;

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Analytics" />
        <NoWorkspace />
      </>
    );
  }
  const { data, problems } = readAnalyticsQuery(workspaceAnalyticsQuery, query, FILTERS);
  const view = await workspaceAnalytics(db, { workspaceId: workspace.id, query: data });
  const filters = { from: view.range.from, to: view.range.to, tz: view.range.timeZone, channel: view.range.channel };
  return (
    <>
      <PageHeader
        title="Analytics"
        subtitle={`Everything the workspace sent, ${view.range.from} to ${view.range.to}${view.range.channel ? ` (${view.range.channel})` : ""}. Opens and clicks are people's; machines are shown apart.`}
      />
      {problems.length > 0 ? (
        <div className="alert" role="alert">
          Showing the defaults: {problems.join("; ")}.
        </div>
      ) : null}
      <form className="filters" method="get">
        <label>
          From
          <input type="date" name="from" defaultValue={view.range.from} />
        </label>
        <label>
          to
          <input type="date" name="to" defaultValue={view.range.to} />
        </label>
        <label>
          Time zone
          <input type="text" name="tz" defaultValue={view.range.timeZone} maxLength={64} />
        </label>
        <FilterSelect label="Channel" name="channel" value={view.range.channel} options={CHANNELS} />
        <button type="submit">Show</button>
      </form>
      <AnalyticsPanels
        view={view}
        title="Daily engagement (UTC days)"
        csvHref={(table) => href("/analytics/export", { ...filters, table, workspace: workspace.id })}
      />
    </>
  );
}
