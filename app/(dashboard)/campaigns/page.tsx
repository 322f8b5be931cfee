import type { Metadata } from "next";
import { listCampaigns } from "@/db/queries/campaigns";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { AutoRefresh } from "../_components/auto-refresh";
import { Empty, NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { campaignListRows } from "../_lib/campaign-list";
import { CAMPAIGN_REFRESH_MS, isCampaignLive } from "../_lib/campaign-progress";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { CampaignsTable } from "./campaigns-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Campaigns" };

const PAGE_SIZE = 50;

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Campaigns" />
        <NoWorkspace />
      </>
    );
  }

  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const campaigns = await listCampaigns(db, { workspaceId: workspace.id, limit: PAGE_SIZE + 1, after });
  const { items, nextCursor } = page(campaigns, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));
  const rows = await campaignListRows(db, workspace.id, items);
  const live = items.some((row) => isCampaignLive(row.status));

  return (
    <>
      <PageHeader
        title={<>Campaigns <AutoRefresh active={live} intervalMs={CAMPAIGN_REFRESH_MS} while="a campaign is scheduled or sending" /></>}
        subtitle="Email and SMS campaigns, newest first. Create and schedule them with POST /api/v1/campaigns."
      />
      {rows.length === 0 ? <Empty>No campaigns yet: create one with POST /api/v1/campaigns.</Empty> : <CampaignsTable rows={rows} />}
      <Pagination isFirst={!after} firstHref="/campaigns" nextHref={nextCursor ? href("/campaigns", { cursor: nextCursor }) : null} />
    </>
  );
}
