import { NextResponse } from "next/server";
import { listMailboxConnections } from "@/db/queries/mailbox-connections";
import { page } from "@/core/pagination/cursor";
import { mailboxApi } from "@/lib/api/contracts/mailbox";
import { apiRoute, readQuery } from "@/lib/api/route";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, mailboxApi.listConnections.query);
  if (!query.ok) return query.response;
  const rows = await listMailboxConnections(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(mailboxConnectionView), nextCursor });
});
