import type { Metadata } from "next";
import Link from "next/link";
import { listArchives } from "@/db/queries/campaign-archives";
import { listCampaignsByIds } from "@/db/queries/campaigns";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { archiveView } from "@/lib/archives/archive-view";
import { AutoRefresh } from "../_components/auto-refresh";
import { Empty, NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { ArchivesTable } from "./archives-table";

const PAGE_SIZE = 50;
/** While an archive or a restore runs, the list redraws this often. */
const ARCHIVES_REFRESH_MS = 3_000;

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Archives" };

export default async function ArchivesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const rows = await listArchives(db, { workspaceId: workspace.id, limit: PAGE_SIZE + 1, after });
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.requestedAt, id: row.id }));
  const campaigns = await listCampaignsByIds(db, { workspaceId: workspace.id, campaignIds: items.map((row) => row.campaignId) });
  const names = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
  const views = items.map((row) => ({ ...archiveView(row), campaignName: names.get(row.campaignId) ?? null }));
  return (
    <>
      <PageHeader title="Archives" subtitle="Campaigns whose recipients, messages and events were moved to cold storage (gzip JSONL with a checksummed manifest)">
        <AutoRefresh active={items.some((row) => row.status === "archiving" || row.status === "restoring")} intervalMs={ARCHIVES_REFRESH_MS} while="an archive or a restore is running" />
      </PageHeader>
      <p className="muted">
        Archive or restore a campaign from its page (<Link href="/campaigns">Campaigns</Link>). The campaign, its rollups and its sealed stats always stay in the database.
      </p>
      {views.length ? <ArchivesTable rows={views} /> : <Empty>No campaign has been archived yet.</Empty>}
      <Pagination isFirst={!after} firstHref="/archives" nextHref={nextCursor ? href("/archives", { cursor: nextCursor }) : null} />
    </>
  );
}
