import type { Metadata } from "next";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { envValue } from "@/core/config/env";
import { listDataExports } from "@/db/queries/data-exports";
import { contactLabels } from "@/db/queries/export-rows";
import { exportView } from "@/lib/exports/export-view";
import { AutoRefresh } from "../_components/auto-refresh";
import { Empty, NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { EXPORT_REFRESH_MS } from "../_lib/request-export";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { ExportsTable } from "./exports-table";
import { RequestExportForm } from "./request-export-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Exports" };

const PAGE_SIZE = 25;

export default async function ExportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Exports" />
        <NoWorkspace />
      </>
    );
  }
  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const rows = await listDataExports(db, { workspaceId: workspace.id, limit: PAGE_SIZE + 1, after });
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));
  const now = new Date();
  const views = items.map((row) => exportView(row, now));
  const labels = await contactLabels(db, { workspaceId: workspace.id, contactIds: items.flatMap((row) => (row.contactId ? [row.contactId] : [])) });
  const active = views.some((row) => row.status === "queued" || row.status === "running");
  const hours = envValue("EXPORT_LINK_TTL_HOURS");
  return (
    <>
      <PageHeader
        title={
          <>
            Exports <AutoRefresh active={active} intervalMs={EXPORT_REFRESH_MS} while="an export is being built" />
          </>
        }
        subtitle={`GDPR access and portability: a zip of JSON Lines and formula-safe CSV with a manifest of checksums. Download links work for ${hours} hours, then the file is deleted.`}
      />
      <section>
        <h2>New export</h2>
        <RequestExportForm workspaceId={workspace.id} />
      </section>
      <section>
        <h2>Exports</h2>
        {views.length ? <ExportsTable rows={views} contactLabels={labels} /> : <Empty>No exports yet.</Empty>}
        <Pagination firstHref={href("/exports", { workspace: workspace.id })} nextHref={nextCursor ? href("/exports", { workspace: workspace.id, cursor: nextCursor }) : null} isFirst={!after} />
      </section>
    </>
  );
}
