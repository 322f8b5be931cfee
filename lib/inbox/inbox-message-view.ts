import type { InboxMessage } from "@/db/queries/inbox-messages";

/** An inbox message as the feed shows it; timestamps as ISO strings, null when not (yet) so. */
export type InboxMessageView = {
  id: string;
  messageId: string;
  category: string | null;
  title: string | null;
  body: string;
  actionUrl: string | null;
  data: Record<string, unknown>;
  seenAt: string | null;
  readAt: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function inboxMessageView(row: InboxMessage): InboxMessageView {
  return {
    id: row.id,
    messageId: row.messageId,
    category: row.category,
    title: row.title,
    body: row.body,
    actionUrl: row.actionUrl,
    data: row.data,
    seenAt: iso(row.seenAt),
    readAt: iso(row.readAt),
    archivedAt: iso(row.archivedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
