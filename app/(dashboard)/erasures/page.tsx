import type { Metadata } from "next";
import { listErasures, openWorkspaceErasure } from "@/db/queries/erasures";
import { ERASURE_STATUSES } from "@/lib/api/contracts/erasures";
import { FilterSelect, NoWorkspace, PageHeader, Time } from "../_components/ui";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { ErasureButton } from "./erasure-button";
import { ErasuresTable } from "./erasures-table";

const SHOWN = 100;

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Erasures" };

export default async function ErasuresPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  const status = ERASURE_STATUSES.find((value) => value === param(query, "status"));
  const [rows, workspaceErasure] = await Promise.all([
    listErasures(db, { workspaceId: workspace.id, status, limit: SHOWN }),
    openWorkspaceErasure(db, { workspaceId: workspace.id }),
  ]);
  const now = new Date();
  return (
    <>
      <PageHeader title="Erasures" subtitle="Contacts (and workspaces) being erased: hidden at once, erased for good when the recovery window ends unless restored" />
      {workspaceErasure ? (
        <section className="alert" role="alert">
          <h2>This workspace is scheduled for erasure</h2>
          <p>
            Its API keys are refused. Everything it holds is deleted after <Time at={workspaceErasure.eraseAfter} /> unless restored before then.
          </p>
          {workspaceErasure.status === "pending" && workspaceErasure.eraseAfter > now ? (
            <ErasureButton workspaceId={workspace.id} kind="restore" target={workspaceErasure.id} label="Restore this workspace" />
          ) : null}
        </section>
      ) : null}
      <section>
        <form className="filters" method="get">
          <input type="hidden" name="workspace" value={workspace.id} />
          <FilterSelect label="Status" name="status" value={status} options={ERASURE_STATUSES} />
          <button type="submit">Filter</button>
        </form>
        <ErasuresTable rows={rows} workspaceId={workspace.id} now={now} />
      </section>
    </>
  );
}
