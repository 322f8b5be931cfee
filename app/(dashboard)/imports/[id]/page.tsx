import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { countImportErrors } from "@/db/queries/import-errors";
import { getImport, listImportErrors } from "@/db/queries/imports";
import { getList } from "@/db/queries/lists";
import { AutoRefresh } from "../../_components/auto-refresh";
import { ImportCounters, ImportProgress } from "../../_components/imports";
import { Fields, NoWorkspace, PageHeader, StatusBadge, Time } from "../../_components/ui";
import { formatBytes, IMPORT_ERRORS_SHOWN, IMPORT_REFRESH_MS, isImportActive } from "../../_lib/imports";
import { href, param, type SearchParams } from "../../_lib/search-params";
import { dashboardContext } from "../../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Import" };

export default async function ImportPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  if (!z.uuid().safeParse(id).success) notFound();
  const ids = { workspaceId: workspace.id, importId: id };
  const row = await getImport(db, ids);
  if (!row) notFound();
  const [errors, errorCount, list] = await Promise.all([
    listImportErrors(db, { ...ids, limit: IMPORT_ERRORS_SHOWN }),
    countImportErrors(db, ids),
    row.listId ? getList(db, { workspaceId: workspace.id, listId: row.listId }) : undefined,
  ]);
  const active = isImportActive(row.status);
  const mapping = Object.entries(row.mapping);

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/imports">Imports</Link> / <span className="mono">{row.id}</span>
      </p>
      <PageHeader title={row.fileName} subtitle={<>Uploaded <Time at={row.createdAt} /></>}>
        <AutoRefresh active={active} intervalMs={IMPORT_REFRESH_MS} while="an import is queued or running" />
        <StatusBadge status={row.status} />
      </PageHeader>

      {row.error ? (
        <div className="alert" role="alert">
          <strong>Import failed:</strong> {row.error}
        </div>
      ) : null}

      <section className="import-progress">
        <ImportProgress row={row} />
      </section>
      <ImportCounters row={row} />

      {row.warnings.length ? (
        <section>
          <h2>Warnings</h2>
          <ul className="warnings">
            {row.warnings.map((warning, index) => (
              <li key={`${warning.code}-${index}`}>
                <code>{warning.code}</code>
                {warning.column ? (
                  <>
                    {" "}
                    · column <span className="mono">{warning.column}</span>
                  </>
                ) : null}{" "}
                — {warning.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section>
        <h2>
          Error report{" "}
          <span className="muted section-count">
            {errorCount.toLocaleString("en-US")} row{errorCount === 1 ? "" : "s"}
            {errorCount > errors.length ? `, first ${errors.length} shown` : ""}
          </span>
          {errorCount ? (
            <a className="section-link button-link" href={`/imports/${row.id}/errors`} download>
              Download error report (CSV)
            </a>
          ) : null}
        </h2>
        {errors.length ? (
          <table className="data">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Column</th>
                <th scope="col">Reason</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((error) => (
                <tr key={error.id}>
                  <td className="num">{error.line}</td>
                  <td className="mono">{error.column ?? <span className="muted">—</span>}</td>
                  <td>{error.reason}</td>
                  <td className="mono truncate" title={error.value ?? undefined}>
                    {error.value ?? <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{active ? "No rejected rows so far." : "No rejected rows."}</p>
        )}
      </section>

      <section>
        <h2>Details</h2>
        <Fields
          rows={[
            ["Status", <StatusBadge key="s" status={row.status} />],
            ["Mode", row.mode],
            ["List", row.listId ? <Link key="l" href={href("/contacts", { listId: row.listId })}>{list?.name ?? row.listId}</Link> : null],
            ["File", <span key="f" className="mono">{row.fileName}</span>],
            ["Kind", row.kind],
            ["Sheet", row.sheetName],
            ["Size", formatBytes(row.bytes)],
            ["SHA-256", <code key="h">{row.sha256}</code>],
            [
              "Mapping",
              mapping.length ? (
                <code key="m">{mapping.map(([header, target]) => `${header} → ${target}`).join(", ")}</code>
              ) : null,
            ],
            ["Created", <Time key="c" at={row.createdAt} />],
            ["Started", <Time key="st" at={row.startedAt} />],
            ["Finished", <Time key="fi" at={row.finishedAt} />],
            ["Updated", <Time key="u" at={row.updatedAt} />],
          ]}
        />
      </section>
    </>
  );
}
