import { NextResponse } from "next/server";
import { page } from "@/core/pagination/cursor";
import { listRetentionRuns } from "@/db/queries/retention-runs";
import { retentionApi } from "@/lib/api/contracts/retention";
import { apiRoute, readQuery } from "@/lib/api/route";
import { retentionRunView } from "@/lib/lifecycle/retention-policy";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, retentionApi.listRuns.query);
  if (!query.ok) return query.response;
  const rows = await listRetentionRuns(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor, dryRun: query.data.dryRun });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.startedAt, id: row.id }));
  return NextResponse.json({ data: items.map(retentionRunView), nextCursor });
});
