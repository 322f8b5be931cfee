import type { Metadata } from "next";
import { listAuditEntries } from "@/db/queries/audit-log";
import { decodeAuditCursor, encodeAuditCursor } from "@/lib/api/contracts/audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { AuditEntriesTable } from "./audit-entries-table";
import { ChainStatus } from "./chain-status";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const FILTERS = ["action", "actor", "targetType", "targetId", "from", "to"] as const;

/** A date field's value (yyyy-mm-dd) as the start of that day in UTC; anything else is no filter. */
function day(value: string | undefined, plusDays = 0): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? undefined : new Date(at.getTime() + plusDays * 86_400_000);
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Audit log" />
        <NoWorkspace />
      </>
    );
  }
  const form = Object.fromEntries(FILTERS.map((name) => [name, param(query, name)?.trim().slice(0, 200) || undefined])) as Partial<Record<(typeof FILTERS)[number], string>>;
  const cursor = param(query, "cursor");
  const beforeId = cursor ? (decodeAuditCursor(cursor) ?? undefined) : undefined;
  const [rows, verification] = await Promise.all([
    listAuditEntries(db, {
      workspaceId: workspace.id,
      action: form.action,
      actor: form.actor,
      targetType: form.targetType,
      targetId: form.targetId,
      from: day(form.from),
      // "to" is inclusive of its day.
      to: day(form.to, 1),
      beforeId,
      limit: PAGE_SIZE + 1,
    }),
    verifyAuditChain(db, workspace.id),
  ]);
  const items = rows.slice(0, PAGE_SIZE);
  const next = rows.length > PAGE_SIZE ? encodeAuditCursor(items.at(-1)!.id) : null;
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change made through the API, the dashboard and the background functions. Entries are append-only and hash-chained: an edited, removed or reordered entry breaks the chain."
      />
      <ChainStatus verification={verification} />
      <form className="filters" method="get">
        <label>
          Action
          <input type="search" name="action" defaultValue={form.action ?? ""} maxLength={200} placeholder="contact.deleted" />
        </label>
        <label>
          Actor
          <input type="search" name="actor" defaultValue={form.actor ?? ""} maxLength={200} placeholder="dashboard" />
        </label>
        <label>
          Target type
          <input type="search" name="targetType" defaultValue={form.targetType ?? ""} maxLength={200} />
        </label>
        <label>
          Target id
          <input type="search" name="targetId" defaultValue={form.targetId ?? ""} maxLength={200} />
        </label>
        <label>
          From
          <input type="date" name="from" defaultValue={form.from ?? ""} />
        </label>
        <label>
          to
          <input type="date" name="to" defaultValue={form.to ?? ""} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <AuditEntriesTable entries={items} filtered={Object.values(form).some(Boolean)} />
      <Pagination isFirst={!beforeId} firstHref={href("/audit-log", { ...form })} nextHref={next ? href("/audit-log", { ...form, cursor: next }) : null} />
    </>
  );
}
