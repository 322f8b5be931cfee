import { NextResponse } from "next/server";
import { listMessages } from "@/db/queries/messages";
import { page } from "@/core/pagination/cursor";
import { apiRoute, readQuery } from "@/lib/api/route";
import { messagesApi } from "@/lib/api/contracts/messages";
import { messageView } from "@/lib/messages/message-view";

/** Every message of the workspace, transactional and campaign, newest first: `?campaignId=&status=&to=&kind=&cursor=&limit=`. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, messagesApi.list.query);
  if (!query.ok) return query.response;
  const { campaignId, status, to, kind, limit, cursor } = query.data;
  const rows = await listMessages(db, {
    workspaceId: principal.workspaceId,
    kind,
    status,
    campaignId,
    // Emails are stored lower-cased; numbers are E.164 and have no case.
    recipient: to?.includes("@") ? to.toLowerCase() : to,
    limit: limit + 1,
    after: cursor,
  });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.queuedAt, id: row.id }));
  return NextResponse.json({ data: items.map(messageView), nextCursor });
});
