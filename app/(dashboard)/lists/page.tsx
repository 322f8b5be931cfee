import type { Metadata } from "next";
import Link from "next/link";
import { listListsWithCounts } from "@/db/queries/lists";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { Empty, NoWorkspace, PageHeader, Pagination, Time } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Lists" };

const PAGE_SIZE = 50;

export default async function ListsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Lists" />
        <NoWorkspace />
      </>
    );
  }

  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const rows = await listListsWithCounts(db, { workspaceId: workspace.id, limit: PAGE_SIZE + 1, after });
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));

  return (
    <>
      <PageHeader title="Lists" subtitle="Static lists, newest first. Membership changes through the API or an import." />
      {items.length === 0 ? (
        <Empty>No lists yet: create one with POST /api/v1/lists.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Members
              </th>
              <th scope="col">Created</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {items.map((list) => (
              <tr key={list.id}>
                <td>
                  <Link href={href("/contacts", { listId: list.id })} title="Contacts in this list">
                    {list.name}
                  </Link>
                </td>
                <td className="num">{list.memberCount.toLocaleString("en-US")}</td>
                <td className="nowrap">
                  <Time at={list.createdAt} />
                </td>
                <td className="truncate">{list.description ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination isFirst={!after} firstHref="/lists" nextHref={nextCursor ? href("/lists", { cursor: nextCursor }) : null} />
    </>
  );
}
