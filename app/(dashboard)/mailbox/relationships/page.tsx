import type { Metadata } from "next";
import Link from "next/link";
import { listRelationships, type RelationshipListRow } from "@/db/queries/contact-relationships";
import type { RelationshipView } from "@/core/mailbox/relationship-views";
import { Empty, NoWorkspace, PageHeader, Time } from "../../_components/ui";
import { param, type SearchParams } from "../../_lib/search-params";
import { dashboardContext } from "../../_lib/workspace";
import { MailboxNav } from "../mailbox-nav";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Relationships" };

/** Rows per section; GET /api/v1/mailbox/relationships pages through the rest. */
const SHOWN = 20;
const DAY_MS = 86_400_000;

const nameOf = (row: RelationshipListRow) => [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email || row.contactId;
const days = (value: number | null) => (value === null ? "—" : `${Math.round(value)} d`);

function Person({ row }: { row: RelationshipListRow }) {
  return (
    <>
      <Link href={`/contacts/${row.contactId}`}>{nameOf(row)}</Link>
      {row.email && nameOf(row) !== row.email ? <div className="muted">{row.email}</div> : null}
    </>
  );
}

const IMPORT_FIRST = (
  <>
    Relationships come from imported mail: <Link href="/mailbox">import a mailbox export</Link> and they are computed when the import ends (and again every day).
  </>
);

export default async function RelationshipsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Relationships" />
        <NoWorkspace />
      </>
    );
  }
  const page = (view: RelationshipView) => listRelationships(db, { workspaceId: workspace.id, view, limit: SHOWN });
  const [top, cold, awaiting] = await Promise.all([page("top"), page("cold"), page("awaiting")]);
  const computedAt = top.reduce<Date | null>((newest, row) => (!newest || row.computedAt > newest ? row.computedAt : newest), null);
  const silence = (row: RelationshipListRow) => (row.computedAt.getTime() - row.lastInteractionAt.getTime()) / DAY_MS;

  return (
    <>
      <PageHeader
        title="Relationships"
        subtitle={
          computedAt ? (
            <>
              Who you are close to, who is going quiet, and who is waiting for you — from your mail, as of <Time at={computedAt} />.
            </>
          ) : (
            "Who you are close to, who is going quiet, and who is waiting for you — from your mail."
          )
        }
      />
      <MailboxNav current="/mailbox/relationships" />

      <section aria-labelledby="relationships-top">
        <h2 id="relationships-top">Top relationships</h2>
        {top.length === 0 ? (
          <Empty>No relationships yet. {IMPORT_FIRST}</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col" className="num">Strength</th>
                <th scope="col" className="num">Sent / received</th>
                <th scope="col" className="num">Last 90 days</th>
                <th scope="col" className="num">Usual gap</th>
                <th scope="col">Last interaction</th>
              </tr>
            </thead>
            <tbody>
              {top.map((row) => (
                <tr key={row.contactId}>
                  <td>
                    <Person row={row} />
                  </td>
                  <td className="num">{Math.round(row.strength)}</td>
                  <td className="num">
                    {row.messagesSent} / {row.messagesReceived}
                  </td>
                  <td className="num">{row.sentLast90Days + row.receivedLast90Days}</td>
                  <td className="num">{days(row.usualGapDays)}</td>
                  <td>
                    <Time at={row.lastInteractionAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="relationships-cold">
        <h2 id="relationships-cold">Going cold</h2>
        {cold.length === 0 ? (
          <Empty>{top.length === 0 ? IMPORT_FIRST : "Nobody is going cold: every strong relationship has heard from you within its usual rhythm."}</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col" className="num">Strength before the silence</th>
                <th scope="col" className="num">Silent for</th>
                <th scope="col" className="num">Usually every</th>
                <th scope="col">Last interaction</th>
              </tr>
            </thead>
            <tbody>
              {cold.map((row) => (
                <tr key={row.contactId}>
                  <td>
                    <Person row={row} />
                  </td>
                  <td className="num">{Math.round(row.peakStrength)}</td>
                  <td className="num">{days(silence(row))}</td>
                  <td className="num">{days(row.usualGapDays)}</td>
                  <td>
                    <Time at={row.lastInteractionAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="relationships-awaiting">
        <h2 id="relationships-awaiting">Threads awaiting your reply</h2>
        {awaiting.length === 0 ? (
          <Empty>{top.length === 0 ? IMPORT_FIRST : "Nothing awaits your reply: nobody wrote last in a thread in the past 30 days."}</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Newest thread</th>
                <th scope="col">Their message</th>
                <th scope="col" className="num">Threads</th>
                <th scope="col" className="num">Strength</th>
              </tr>
            </thead>
            <tbody>
              {awaiting.map((row) => (
                <tr key={row.contactId}>
                  <td>
                    <Person row={row} />
                  </td>
                  <td className="truncate">{row.awaitingSubject ?? "(no subject)"}</td>
                  <td>
                    <Time at={row.awaitingSince} />
                  </td>
                  <td className="num">{row.awaitingThreads}</td>
                  <td className="num">{Math.round(row.strength)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
