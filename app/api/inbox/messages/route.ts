import { NextResponse } from "next/server";
import { countInboxMessages, listInboxMessages } from "@/db/queries/inbox-messages";
import { page } from "@/core/pagination/cursor";
import { readQuery } from "@/lib/api/route";
import { inboxFeedQuery } from "@/lib/inbox/inbox-feed-request";
import { inboxMessageView } from "@/lib/inbox/inbox-message-view";
import { inboxRoute, preflight } from "../inbox-route";

export const dynamic = "force-dynamic";

/** A contact's feed, newest first: `?view=all|unread|archived&limit=&cursor=`, with its counts. */
export const GET = inboxRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, inboxFeedQuery);
  if (!query.ok) return query.response;
  const { view, limit, cursor } = query.data;
  const rows = await listInboxMessages(db, { ...principal, view, limit: limit + 1, after: cursor });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(inboxMessageView), nextCursor, counts: await countInboxMessages(db, principal) });
});

export const OPTIONS = preflight;
