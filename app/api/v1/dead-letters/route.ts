import { NextResponse } from "next/server";
import { listDeadLetters } from "@/db/queries/dead-letters";
import { page } from "@/core/pagination/cursor";
import { apiRoute, readQuery } from "@/lib/api/route";
import { deadLettersApi } from "@/lib/api/contracts/dead-letters";
import { deadLetterFilter } from "@/lib/dead-letters/dead-letter-request";
import { deadLetterView } from "@/lib/dead-letters/dead-letter-view";

/** Dead letters, newest first: `?channel=&kind=&error=&since=&until=&cursor=&limit=`. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, deadLettersApi.list.query);
  if (!query.ok) return query.response;
  const { limit, cursor, ...filter } = query.data;
  const rows = await listDeadLetters(db, { workspaceId: principal.workspaceId, filter: deadLetterFilter(filter), limit: limit + 1, after: cursor });
  const { items, nextCursor } = page(rows, limit, (row) => ({ at: row.deadLetteredAt, id: row.id }));
  return NextResponse.json({ data: items.map(deadLetterView), nextCursor });
});
