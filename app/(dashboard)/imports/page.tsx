import type { Metadata } from "next";
import Link from "next/link";
import { listListOptions } from "@/db/queries/lists";
import { listImports } from "@/db/queries/imports";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { AutoRefresh } from "../_components/auto-refresh";
import { ImportProgress } from "../_components/imports";
import { Empty, NoWorkspace, PageHeader, Pagination, StatusBadge, Time } from "../_components/ui";
import { IMPORT_REFRESH_MS, isImportActive } from "../_lib/imports";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { UploadForm } from "./upload-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Imports" };

const PAGE_SIZE = 50;
const LIST_OPTIONS = 500;

export default async function ImportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Imports" />
        <NoWorkspace />
      </>
    );
  }

  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const [rows, lists] = await Promise.all([
    listImports(db, { workspaceId: workspace.id, limit: PAGE_SIZE + 1, after }),
    listListOptions(db, { workspaceId: workspace.id, limit: LIST_OPTIONS }),
  ]);
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));
  const active = items.some((row) => isImportActive(row.status));

  return (
    <>
      <PageHeader title={<>Imports <AutoRefresh active={active} intervalMs={IMPORT_REFRESH_MS} while="an import is queued or running" /></>} subtitle="Contact files, newest first." />

      <details className="upload-panel" open={items.length === 0 && !after}>
        <summary>Upload a file</summary>
        <UploadForm workspaceId={workspace.id} lists={lists} />
      </details>

      {items.length === 0 ? (
        <Empty>No imports yet.</Empty>
      ) : (
        <table className="data imports">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col">Mode</th>
              <th scope="col">Progress</th>
              <th scope="col" className="num">
                Inserted
              </th>
              <th scope="col" className="num">
                Updated
              </th>
              <th scope="col" className="num">
                Skipped
              </th>
              <th scope="col" className="num">
                Failed
              </th>
              <th scope="col">Created / finished</th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id}>
                <td className="truncate file-name">
                  <Link href={`/imports/${row.id}`} title={row.fileName}>
                    {row.fileName}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={row.status} />
                </td>
                <td className="nowrap">{row.mode}</td>
                <td className="progress-cell">
                  <ImportProgress row={row} compact />
                </td>
                <td className="num">{row.inserted.toLocaleString("en-US")}</td>
                <td className="num">{row.updated.toLocaleString("en-US")}</td>
                <td className="num">{row.skipped.toLocaleString("en-US")}</td>
                <td className={`num${row.failed ? " error-text" : ""}`}>{row.failed.toLocaleString("en-US")}</td>
                <td className="nowrap">
                  <div className="times">
                    <Time at={row.createdAt} />
                    {row.finishedAt ? <Time at={row.finishedAt} /> : <span className="muted">not finished</span>}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination isFirst={!after} firstHref="/imports" nextHref={nextCursor ? href("/imports", { cursor: nextCursor }) : null} />
    </>
  );
}
