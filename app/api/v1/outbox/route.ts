import { NextResponse } from "next/server";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { listQuery } from "@/app/_lib/list-query";
import { outboxFilterFields } from "@/app/_lib/outbox-filter";
import { page } from "@/lib/api/cursor";
import { apiRoute, readQuery } from "@/lib/api/route";
import { outboxJson } from "./outbox-json";

const outboxQuery = listQuery(outboxFilterFields);

/** The local provider's mailbox, newest first: `?messageId=&campaignId=&to=&limit=&cursor=`. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, outboxQuery);
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
