import { NextResponse } from "next/server";
import { listPendingDigests } from "@/db/queries/digests";
import { digestsApi } from "@/lib/api/contracts/delivery";
import { apiRoute, readQuery } from "@/lib/api/route";
import { digestView } from "@/lib/delivery/delivery-views";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, digestsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listPendingDigests(db, { workspaceId: principal.workspaceId, limit: query.data.limit });
  return NextResponse.json({ data: rows.map((row) => digestView(row, row.itemCount)) });
});
