import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { outboxFilter } from "@/lib/outbox/outbox-filter";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { Empty, NoWorkspace, PageHeader, Pagination, Time } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Outbox" };

const PAGE_SIZE = 50;

export default async function OutboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Outbox" />
        <NoWorkspace />
      </>
    );
  }

  const raw = { messageId: param(query, "messageId"), campaignId: param(query, "campaignId"), to: param(query, "to") };
  const parsed = outboxFilter.safeParse(raw);
  const fieldErrors = parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;
  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;

  const rows = parsed.success
    ? await listOutboxMessages(db, { workspaceId: workspace.id, filter: parsed.data, limit: PAGE_SIZE + 1, after })
    : [];
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.createdAt, id: row.id }));
  const filters = parsed.success ? parsed.data : {};

  return (
    <>
      <PageHeader
        title="Outbox"
        subtitle="Every message the local provider received, stored exactly as a real provider would have received it."
      />
      <form className="filters" method="get">
        <label>
          To
          <input name="to" type="search" defaultValue={raw.to ?? ""} placeholder="ada@example.com" />
        </label>
        <label>
          Message id
          <input name="messageId" defaultValue={raw.messageId ?? ""} placeholder="uuid" aria-invalid={Boolean(fieldErrors.messageId)} />
        </label>
        <label>
          Campaign id
          <input name="campaignId" defaultValue={raw.campaignId ?? ""} placeholder="uuid" aria-invalid={Boolean(fieldErrors.campaignId)} />
        </label>
        <button type="submit">Filter</button>
        {raw.to || raw.messageId || raw.campaignId ? <Link href="/outbox">Clear</Link> : null}
      </form>
      {!parsed.success ? (
        <div className="alert" role="alert">
          {Object.entries(fieldErrors).map(([field, messages]) => (
            <div key={field}>
              <strong>{field}:</strong> {messages?.join("; ")}
            </div>
          ))}
        </div>
      ) : items.length === 0 ? (
        <Empty>Nothing in the outbox{raw.to || raw.messageId || raw.campaignId ? " matches these filters" : " yet"}.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Stored</th>
              <th scope="col">Channel</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">From</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id}>
                <td className="nowrap">
                  <Link href={`/outbox/${row.id}`}>
                    <Time at={row.createdAt} />
                  </Link>
                </td>
                <td>{row.channel}</td>
                <td className="mono">{row.to}</td>
                <td className="truncate">{row.subject ?? <span className="muted">{row.text?.slice(0, 80) ?? "—"}</span>}</td>
                <td className="mono truncate">{row.from}</td>
                <td>{row.messageId ? <Link href={`/notifications/${row.messageId}`}>view</Link> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        isFirst={!after}
        firstHref={href("/outbox", filters)}
        nextHref={nextCursor ? href("/outbox", { ...filters, cursor: nextCursor }) : null}
      />
    </>
  );
}
