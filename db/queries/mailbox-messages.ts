import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { mailboxMessages } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import type { MailboxAddress } from "@/core/mailbox/mailbox-types";
import { storableJson } from "@/core/text/storable-text";
import { before } from "./keyset";
import { rowsOf } from "./rows-of";

export type MailboxMessage = typeof mailboxMessages.$inferSelect;

export type NewMailboxMessage = {
  messageId: string;
  threadId: string;
  from: MailboxAddress | null;
  to: MailboxAddress[];
  cc: MailboxAddress[];
  participants: string[];
  sentAt: string | null;
  subject: string | null;
  snippet: string | null;
  direction: "sent" | "received";
  labels: string[];
  automatedReason: string | null;
  body: string | null;
};

/**
 * Stores a page of messages in one statement, once per (workspace, Message-ID): a message
 * already stored — from another folder of the same export, another connection, or a page that
 * ran before a crash — only gains the labels it did not have. Returns the row id of each
 * message and whether this statement inserted it (`xmax = 0` holds for a row the statement
 * created, not for one it updated), so only new messages feed extraction.
 *
 * `messages` must name each Message-ID once: a statement cannot update one row twice.
 */
export const upsertMailboxMessages = async (
  db: Db,
  params: { workspaceId: string; connectionId: string; messages: readonly NewMailboxMessage[] },
): Promise<{ id: string; messageId: string; inserted: boolean }[]> => {
  if (params.messages.length === 0) return [];
  const input = storableJson(
    params.messages.map((m) => ({
      message_id: m.messageId,
      thread_id: m.threadId,
      from_address: m.from,
      to_addresses: m.to,
      cc_addresses: m.cc,
      participants: m.participants,
      sent_at: m.sentAt,
      subject: m.subject,
      snippet: m.snippet,
      direction: m.direction,
      labels: m.labels,
      automated_reason: m.automatedReason,
      body: m.body,
    })),
  );
  const result = await db.execute(sql`
    insert into mailbox_messages as m (workspace_id, connection_id, message_id, thread_id, from_address, to_addresses, cc_addresses,
      participants, sent_at, subject, snippet, direction, labels, automated, automated_reason, body)
    select ${params.workspaceId}::uuid, ${params.connectionId}::uuid, i.message_id, i.thread_id, i.from_address, i.to_addresses, i.cc_addresses,
      array(select jsonb_array_elements_text(i.participants)), i.sent_at, i.subject, i.snippet, i.direction::mailbox_direction,
      array(select jsonb_array_elements_text(i.labels)), i.automated_reason is not null, i.automated_reason, i.body
    from jsonb_to_recordset(${input}::jsonb) as i(message_id text, thread_id text, from_address jsonb, to_addresses jsonb, cc_addresses jsonb,
      participants jsonb, sent_at timestamptz, subject text, snippet text, direction text, labels jsonb, automated_reason text, body text)
    on conflict (workspace_id, message_id) do update set
      labels = array(select distinct l from unnest(m.labels || excluded.labels) as l order by l)
    returning m.id, m.message_id as "messageId", (m.xmax = 0) as inserted`);
  return rowsOf<{ id: string; messageId: string; inserted: boolean }>(result);
};

/** Newest first (by when they were stored), by connection and/or by a contact's address. */
export async function listMailboxMessages(
  db: Db,
  params: { workspaceId: string; connectionId?: string; address?: string; limit: number; after?: Position },
): Promise<MailboxMessage[]> {
  return db
    .select()
    .from(mailboxMessages)
    .where(
      and(
        eq(mailboxMessages.workspaceId, params.workspaceId),
        params.connectionId ? eq(mailboxMessages.connectionId, params.connectionId) : undefined,
        // The GIN index on participants serves the containment test.
        params.address ? sql`${mailboxMessages.participants} @> array[${params.address.toLowerCase()}]::text[]` : undefined,
        before(mailboxMessages.createdAt, mailboxMessages.id, params.after),
      ),
    )
    .orderBy(desc(mailboxMessages.createdAt), desc(mailboxMessages.id))
    .limit(params.limit);
}
