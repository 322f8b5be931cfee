import type { Metadata } from "next";
import Link from "next/link";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { listJourneys } from "@/db/queries/journeys";
import { Empty, NoWorkspace, PageHeader, Pagination, StatusBadge, Time } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Journeys" };

const PAGE_SIZE = 50;

export default async function JourneysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Journeys" />
        <NoWorkspace />
      </>
    );
  }
  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const rows = await listJourneys(db, { workspaceId: workspace.id, limit: PAGE_SIZE + 1, after });
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));

  return (
    <>
      <PageHeader title="Journeys" subtitle="Versioned graphs of sends, waits and branches; each contact that enters runs through the version it entered on." />
      {items.length === 0 ? (
        <Empty>No journeys yet: create one with POST /api/v1/journeys.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Version
              </th>
              <th scope="col" className="num">
                Active enrollments
              </th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((journey) => (
              <tr key={journey.id}>
                <td>
                  <Link href={href(`/journeys/${journey.id}`, { workspace: workspace.id })}>{journey.name}</Link>
                </td>
                <td>
                  <StatusBadge status={journey.status} />
                  {journey.statusReason ? <span className="muted"> {journey.statusReason}</span> : null}
                </td>
                <td className="num">{journey.publishedVersion ?? <span className="muted">—</span>}</td>
                <td className="num">{journey.activeEnrollments.toLocaleString("en-US")}</td>
                <td className="nowrap">
                  <Time at={journey.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination isFirst={!after} firstHref="/journeys" nextHref={nextCursor ? href("/journeys", { cursor: nextCursor }) : null} />
    </>
  );
}
