import type { Metadata } from "next";
import Link from "next/link";
import { listContactSources, listMailboxContacts } from "@/db/queries/contact-sources";
import { listMailboxConnections } from "@/db/queries/mailbox-connections";
import { AutoRefresh } from "../_components/auto-refresh";
import { ProgressBar } from "../_components/progress-bar";
import { Empty, NoWorkspace, PageHeader, StatusBadge, Time } from "../_components/ui";
import { formatBytes } from "../_lib/imports";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { ConnectGmail } from "./connect-gmail";
import { syncMailboxNowAction } from "./imap-actions";
import { ImapConnectForm, ImapReconnectForm } from "./imap-connect-form";
import { MailboxNav } from "./mailbox-nav";
import { MailboxUploadForm } from "./upload-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Mailbox" };

const CONNECTIONS_SHOWN = 50;
const CONTACTS_SHOWN = 100;
const FIELD_LABELS: Record<string, string> = { email: "Email", firstName: "First name", lastName: "Last name", phone: "Phone", title: "Title", company: "Company" };

export default async function MailboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Mailbox" />
        <NoWorkspace />
      </>
    );
  }
  const [connections, people] = await Promise.all([
    listMailboxConnections(db, { workspaceId: workspace.id, limit: CONNECTIONS_SHOWN }),
    listMailboxContacts(db, { workspaceId: workspace.id, limit: CONTACTS_SHOWN }),
  ]);
  const sources = await listContactSources(db, { workspaceId: workspace.id, contactIds: people.map((person) => person.contactId) });
  // A synced mailbox reading its history refreshes the page too; one only waiting for its next round does not.
  const active = connections.some((connection) => connection.status === "active" && (connection.kind === "import" ? !connection.finishedAt : !connection.backfilledAt));

  return (
    <>
      <PageHeader
        title={<>Mailbox <AutoRefresh active={active} intervalMs={2000} while="a mailbox is being imported" /></>}
        subtitle="Mailboxes read into contacts (synced IMAP mailboxes every 15 minutes, or exports once): people from the headers of mail written by people, and phone, title and company from their signatures."
      />
      <MailboxNav current="/mailbox" />
      <ConnectGmail workspaceId={workspace.id} query={query} />
      <section aria-labelledby="mailbox-imap">
        <h2 id="mailbox-imap">Connect an IMAP mailbox</h2>
        <ImapConnectForm workspaceId={workspace.id} />
      </section>
      <section aria-labelledby="mailbox-upload">
        <h2 id="mailbox-upload">Import a mailbox export</h2>
        <MailboxUploadForm workspaceId={workspace.id} />
      </section>

      <section aria-labelledby="mailbox-connections">
        <h2 id="mailbox-connections">Connections</h2>
        {connections.length === 0 ? (
          <Empty>No mailbox imported yet.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Mailbox</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col" className="num">Messages stored</th>
                <th scope="col" className="num">Skipped</th>
                <th scope="col" className="num">Contacts created / updated</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {connections.map((connection) => {
                const synced = connection.kind !== "import";
                const total = connection.fileBytes ?? 0;
                const read = connection.finishedAt ? total : Math.min(connection.cursor?.offset ?? 0, total);
                const percent = synced ? (connection.backfilledAt ? 100 : null) : total > 0 ? Math.round((read / total) * 100) : null;
                const label = synced ? (connection.backfilledAt ? "history read" : "reading history") : connection.finishedAt ? "done" : `${formatBytes(read)} of ${formatBytes(total)}`;
                const done = synced ? Boolean(connection.backfilledAt) : Boolean(connection.finishedAt);
                return (
                  <tr key={connection.id}>
                    <td className="truncate">
                      {connection.label}
                      {connection.settings?.kind === "imap" ? <div className="muted">IMAP {connection.settings.folders.join(", ")}</div> : null}
                    </td>
                    <td>
                      <StatusBadge status={!synced && connection.finishedAt && connection.status === "active" ? "done" : connection.status} />
                      {connection.statusReason ? <div className="muted">{connection.statusReason}</div> : null}
                      {synced ? (
                        <div className="muted">
                          Last synced <Time at={connection.lastSyncedAt} />
                        </div>
                      ) : null}
                      {synced && connection.status === "active" ? (
                        <form action={syncMailboxNowAction} className="inline-form">
                          <input type="hidden" name="workspace" value={workspace.id} />
                          <input type="hidden" name="connection" value={connection.id} />
                          <button type="submit">Sync now</button>
                        </form>
                      ) : null}
                      {connection.kind === "imap" && (connection.status === "reconnect" || connection.status === "error") ? <ImapReconnectForm workspaceId={workspace.id} connectionId={connection.id} /> : null}
                    </td>
                    <td>
                      <ProgressBar name={synced ? "Mailbox sync" : "Mailbox import"} tone="import" percent={percent} label={label} indeterminate={percent === null && !done} compact />
                    </td>
                    <td className="num">{connection.messagesStored}</td>
                    <td className="num" title={connection.skippedSamples.map((sample) => sample.reason).join("\n")}>
                      {connection.messagesSkipped}
                    </td>
                    <td className="num">
                      {connection.contactsCreated} / {connection.contactsUpdated}
                    </td>
                    <td>
                      <Time at={connection.startedAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="mailbox-contacts">
        <h2 id="mailbox-contacts">Extracted contacts</h2>
        {people.length === 0 ? (
          <Empty>No contacts extracted yet.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Values from the mailbox, and where each came from</th>
              </tr>
            </thead>
            <tbody>
              {people.map((person) => (
                <tr key={person.contactId}>
                  <td>
                    <Link href={`/contacts/${person.contactId}`}>{[person.firstName, person.lastName].filter(Boolean).join(" ") || person.email}</Link>
                    <div className="muted">{person.email}</div>
                  </td>
                  <td>
                    <ul className="plain">
                      {sources
                        .filter((source) => source.contactId === person.contactId)
                        .map((source) => (
                          <li key={source.id}>
                            {FIELD_LABELS[source.field] ?? source.field}: <strong>{source.value}</strong>{" "}
                            <span className="muted">
                              from the {source.source === "signature" ? "signature" : "headers"}, first seen <Time at={source.firstSeenAt} />
                            </span>
                          </li>
                        ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
