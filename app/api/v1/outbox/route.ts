import { NextResponse } from "next/server";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { outboxApi } from "@/lib/api/contracts/outbox";
import { page } from "@/core/pagination/cursor";
import { apiRoute, readQuery } from "@/lib/api/route";
import { outboxJson } from "./outbox-json";

/** The local provider's mailbox, newest first: `?messageId=&campaignId=&to=&limit=&cursor=`. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, outboxApi.list.query);
  if (!query.ok) return query.response;
  const { messageId, campaignId, to, limit, cursor } = query.data;
  const rows = await listOutboxMessages(db, {
    workspaceId: principal.workspaceId,
    filter: { messageId, campaignId, to },
    limit: limit + 1,
    after: cursor,
  });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(outboxJson), nextCursor });
});
