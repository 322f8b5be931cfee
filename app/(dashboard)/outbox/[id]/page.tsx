import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getOutboxMessage } from "@/db/queries/outbox-messages";
import { OutboxPreview } from "../../_components/outbox-preview";
import { Fields, NoWorkspace, PageHeader, Time } from "../../_components/ui";
import { href, param, type SearchParams } from "../../_lib/search-params";
import { dashboardContext } from "../../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Outbox message" };

export default async function OutboxMessagePage({
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
  const message = await getOutboxMessage(db, { workspaceId: workspace.id, id });
  if (!message) notFound();

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/outbox">Outbox</Link> / <span className="mono">{message.id}</span>
      </p>
      <PageHeader title={message.subject ?? `${message.channel} to ${message.to}`} subtitle={<>Stored <Time at={message.createdAt} /></>} />
      <Fields
        rows={[
          ["Channel", message.channel],
          ["From", <span key="f" className="mono">{message.from}</span>],
          ["To", <Link key="t" href={href("/outbox", { to: message.to })} className="mono">{message.to}</Link>],
          ["Reply-To", message.replyTo ? <span key="r" className="mono">{message.replyTo}</span> : null],
          ["Subject", message.subject],
          ["Message", message.messageId ? <Link key="m" href={`/notifications/${message.messageId}`} className="mono">{message.messageId}</Link> : null],
          ["Campaign", message.campaignId ? <Link key="c" href={href("/outbox", { campaignId: message.campaignId })} className="mono">{message.campaignId}</Link> : null],
          ["Idempotency key", <code key="k">{message.idempotencyKey}</code>],
        ]}
      />
      <OutboxPreview message={message} />
    </>
  );
}
