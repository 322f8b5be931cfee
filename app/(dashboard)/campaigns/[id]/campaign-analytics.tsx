import type { campaignAnalytics } from "@/lib/analytics/analytics-view";
import { AnalyticsPanels } from "../../_components/analytics/analytics-panels";
import { href } from "../../_lib/search-params";

/**
 * The campaign page's analytics panel: its funnel over its whole life, its series (hours while
 * its events span 3 days or less), links, domains and best hours, in the workspace's zone.
 */
export function CampaignAnalytics({ view, workspaceId, campaignId }: { view: Awaited<ReturnType<typeof campaignAnalytics>>; workspaceId: string; campaignId: string }) {
  return (
    <section className="campaign-analytics" aria-label="Analytics">
      <h2>Analytics</h2>
      <AnalyticsPanels
        view={view}
        title="Campaign engagement"
        csvHref={(table) => href("/analytics/export", { campaign: campaignId, table, workspace: workspaceId })}
      />
    </section>
  );
}
