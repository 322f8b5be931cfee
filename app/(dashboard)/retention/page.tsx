import type { Metadata } from "next";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { getRetentionPolicy } from "@/db/queries/retention-policies";
import { listRetentionRuns } from "@/db/queries/retention-runs";
import { retentionPolicyView } from "@/lib/lifecycle/retention-policy";
import { NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { RetentionPolicyForm } from "./retention-policy-form";
import { RetentionRunsTable } from "./retention-runs-table";

const RUNS_PER_PAGE = 20;

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Retention" };

export default async function RetentionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  const cursor = param(query, "cursor");
  const [policy, rows] = await Promise.all([
    getRetentionPolicy(db, { workspaceId: workspace.id }),
    listRetentionRuns(db, { workspaceId: workspace.id, limit: RUNS_PER_PAGE + 1, after: (cursor && decodeCursor(cursor)) || undefined }),
  ]);
  const view = retentionPolicyView(policy);
  const { items, nextCursor } = page(rows, RUNS_PER_PAGE, (row) => ({ at: row.startedAt, id: row.id }));
  return (
    <>
      <PageHeader
        title="Retention"
        subtitle={view.enabled ? "The policy is enabled: applied every day at 03:30 UTC, in batches, each run audited" : "No policy is applied: set the rules, look at the dry run, then enable"}
      />
      <section>
        <h2>Policy</h2>
        <p className="muted">
          Each rule is off while its days are empty. Anonymising keeps a contact&apos;s row and id (so counts and campaign results still add up) and empties everything personal: address, phone, names,
          birthday, attributes, and its messages&apos; recipients and bodies.
        </p>
        <RetentionPolicyForm workspaceId={workspace.id} policy={view} />
      </section>
      <section>
        <h2>Runs</h2>
        <RetentionRunsTable runs={items} />
        <Pagination firstHref={href("/retention")} nextHref={nextCursor ? href("/retention", { cursor: nextCursor }) : null} isFirst={!cursor} />
      </section>
    </>
  );
}
