import { NextResponse } from "next/server";
import { listArchives } from "@/db/queries/campaign-archives";
import { page } from "@/core/pagination/cursor";
import { archivesApi } from "@/lib/api/contracts/archives";
import { apiRoute, readQuery } from "@/lib/api/route";
import { archiveView } from "@/lib/archives/archive-view";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, archivesApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listArchives(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor, status: query.data.status });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.requestedAt, id: row.id }));
  return NextResponse.json({ data: items.map(archiveView), nextCursor });
});
