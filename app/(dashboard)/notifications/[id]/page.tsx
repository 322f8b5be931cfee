import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getMessage } from "@/db/queries/messages";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { OutboxPreview } from "../../_components/outbox-preview";
import { Fields, NoWorkspace, PageHeader, StatusBadge, Time } from "../../_components/ui";
import { param, type SearchParams } from "../../_lib/search-params";
import { timeline } from "../../_lib/timeline";
import { dashboardContext } from "../../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notification" };

/** Enough copies to show a retried send; one is the norm. */
const OUTBOX_COPIES = 5;

export default async function NotificationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  if (!z.uuid().safeParse(id).success) notFound();
  const message = await getMessage(db, { workspaceId: workspace.id, messageId: id });
  if (!message) notFound();
  const copies = await listOutboxMessages(db, { workspaceId: workspace.id, filter: { messageId: message.id }, limit: OUTBOX_COPIES });
  const [copy] = copies;

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/notifications">Notifications</Link> / <span className="mono">{message.id}</span>
      </p>
      <PageHeader title={message.subject ?? `${message.channel} to ${message.recipient}`} subtitle={message.recipient}>
        <StatusBadge status={message.status} />
      </PageHeader>

      {message.error ? (
        <div className="alert" role="alert">
          <strong>Error:</strong> {message.error}
        </div>
      ) : null}

      <div className="columns">
        <section>
          <h2>Details</h2>
          <Fields
            rows={[
              ["Status", <StatusBadge key="s" status={message.status} />],
              ["Channel", message.channel],
              ["Kind", message.kind],
              ["Recipient", <span key="r" className="mono">{message.recipient}</span>],
              ["Subject", message.subject],
              ["Provider", message.provider],
              ["Provider id", message.providerMessageId ? <code key="p">{message.providerMessageId}</code> : null],
              ["Idempotency key", <code key="k">{message.idempotencyKey}</code>],
              ["Template", message.templateId ? <code key="t">{`${message.templateId} v${message.templateVersion ?? "?"}`}</code> : null],
              ["Contact", message.contactId ? <code key="c">{message.contactId}</code> : null],
              ["Campaign", message.campaignId ? <code key="g">{message.campaignId}</code> : null],
              ["Updated", <Time key="u" at={message.updatedAt} />],
            ]}
          />
        </section>
        <section>
          <h2>Timeline</h2>
          <ol className="timeline">
            {timeline(message).map((event) => (
              <li key={event.status}>
                <StatusBadge status={event.status} /> <Time at={event.at} />
              </li>
            ))}
          </ol>
          <details>
            <summary>Request data</summary>
            <pre className="json">{JSON.stringify(message.request, null, 2)}</pre>
          </details>
        </section>
      </div>

      <section>
        <h2>Outbox copy</h2>
        {copy ? (
          <>
            <p>
              <Link href={`/outbox/${copy.id}`}>Open in the outbox →</Link> · from <span className="mono">{copy.from}</span> ·
              stored <Time at={copy.createdAt} />
              {copies.length > 1 ? ` · ${copies.length} copies` : null}
            </p>
            <OutboxPreview message={copy} />
          </>
        ) : (
          <p className="muted">
            None: the message was not sent through the local outbox{message.provider ? ` (provider: ${message.provider})` : ""}, or not
            sent yet.
          </p>
        )}
      </section>
    </>
  );
}
