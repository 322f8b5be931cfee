import type { Metadata } from "next";
import { listMessages } from "@/db/queries/messages";
import { messageKind, messageStatus } from "@/db/schema";
import { decodeCursor, page } from "@/core/pagination/cursor";
import type { MessageStatus } from "@/core/messages/status";
import { MessagesTable } from "../_components/messages-table";
import { FilterSelect, NoWorkspace, PageHeader, Pagination } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notifications" };

const PAGE_SIZE = 50;
type KindFilter = (typeof messageKind.enumValues)[number] | "all";
const KIND_FILTERS: readonly KindFilter[] = [...messageKind.enumValues, "all"];

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((candidate) => candidate === value);
}

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Notifications" />
        <NoWorkspace />
      </>
    );
  }

  // Unknown filter values are ignored rather than failing: this is a page, not the API.
  const status: MessageStatus | undefined = oneOf(messageStatus.enumValues, param(query, "status"));
  const kind: KindFilter = oneOf(KIND_FILTERS, param(query, "kind")) ?? "transactional";
  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;

  const rows = await listMessages(db, {
    workspaceId: workspace.id,
    status,
    kind: kind === "all" ? undefined : kind,
    limit: PAGE_SIZE + 1,
    after,
  });
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.queuedAt, id: row.id }));
  const filters = { status, kind: kind === "transactional" ? undefined : kind };

  return (
    <>
      <PageHeader title="Notifications" subtitle="Outbound messages, newest first." />
      <form className="filters" method="get">
        <FilterSelect label="Status" name="status" value={status} options={messageStatus.enumValues} />
        <label>
          Kind
          <select name="kind" defaultValue={kind}>
            {KIND_FILTERS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <MessagesTable messages={items} showKind={kind === "all"} />
      <Pagination
        isFirst={!after}
        firstHref={href("/notifications", filters)}
        nextHref={nextCursor ? href("/notifications", { ...filters, cursor: nextCursor }) : null}
      />
    </>
  );
}
