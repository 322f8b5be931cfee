import type { Metadata } from "next";
import Link from "next/link";
import { countDeadLetters, listDeadLetters } from "@/db/queries/dead-letters";
import { channel, messageKind } from "@/db/schema";
import { decodeCursor, page } from "@/core/pagination/cursor";
import { Empty, FilterSelect, NoWorkspace, PageHeader, Pagination, Time } from "../_components/ui";
import { deadLetterPageFilter, readPageFilter } from "../_lib/dead-letter-filter";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { RetryButton } from "./retry-button";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dead letters" };

const PAGE_SIZE = 50;

export default async function DeadLettersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Dead letters" />
        <NoWorkspace />
      </>
    );
  }

  const form = readPageFilter((name) => param(query, name));
  const filter = deadLetterPageFilter(form);
  const cursor = param(query, "cursor");
  const after = cursor ? (decodeCursor(cursor) ?? undefined) : undefined;
  const [rows, total] = await Promise.all([
    listDeadLetters(db, { workspaceId: workspace.id, filter, limit: PAGE_SIZE + 1, after }),
    countDeadLetters(db, { workspaceId: workspace.id, filter }),
  ]);
  const { items, nextCursor } = page(rows, PAGE_SIZE, (row) => ({ at: row.deadLetteredAt, id: row.id }));

  return (
    <>
      <PageHeader
        title="Dead letters"
        subtitle="Messages whose retries ran out (a provider outage, a channel not configured). Retry them once the cause is gone; each is sent at most once."
      >
        <a href={href("/dead-letters/export", { ...form, workspace: workspace.id })} download>
          Download CSV
        </a>
      </PageHeader>
      <form className="filters" method="get">
        <FilterSelect label="Channel" name="channel" value={filter.channel} options={channel.enumValues} />
        <FilterSelect label="Kind" name="kind" value={filter.kind} options={messageKind.enumValues} />
        <label>
          Error contains
          <input type="search" name="error" defaultValue={form.error ?? ""} maxLength={200} />
        </label>
        <label>
          Dead-lettered from
          <input type="date" name="from" defaultValue={form.from ?? ""} />
        </label>
        <label>
          to
          <input type="date" name="to" defaultValue={form.to ?? ""} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <p>
        <strong>{total.toLocaleString("en-US")}</strong> dead letter{total === 1 ? "" : "s"} match.
      </p>
      {total > 0 ? (
        <RetryButton
          workspaceId={workspace.id}
          filter={{ ...form }}
          label="Retry all matching"
          confirm={`Queue the matching transactional dead letters again (up to 100 at a time)?`}
        />
      ) : null}
      {items.length === 0 ? (
        <Empty>No dead letters{Object.keys(form).length ? " match this filter" : ""}.</Empty>
      ) : (
        <table className="data dead-letters">
          <thead>
            <tr>
              <th scope="col">Dead-lettered</th>
              <th scope="col">Channel</th>
              <th scope="col">Recipient</th>
              <th scope="col">Last error</th>
              <th scope="col">Attempts</th>
              <th scope="col">Retries</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id}>
                <td className="nowrap">
                  <Link href={`/notifications/${row.id}`}>
                    <Time at={row.deadLetteredAt} />
                  </Link>
                </td>
                <td>
                  {row.channel}
                  {row.kind === "campaign" ? <span className="muted"> (campaign)</span> : null}
                </td>
                <td className="mono">{row.recipient}</td>
                <td className="error-text">{row.error}</td>
                <td>{row.attemptCount}</td>
                <td>{row.retryCount}</td>
                <td>
                  {row.kind === "transactional" ? (
                    <RetryButton workspaceId={workspace.id} messageId={row.id} label="Retry" />
                  ) : (
                    <span className="muted">sent by its campaign</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        isFirst={!after}
        firstHref={href("/dead-letters", { ...form })}
        nextHref={nextCursor ? href("/dead-letters", { ...form, cursor: nextCursor }) : null}
      />
    </>
  );
}
