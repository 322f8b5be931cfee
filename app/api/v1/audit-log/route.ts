import { NextResponse } from "next/server";
import { listAuditEntries } from "@/db/queries/audit-log";
import { auditLogApi, encodeAuditCursor } from "@/lib/api/contracts/audit-log";
import { apiRoute, readQuery } from "@/lib/api/route";
import { auditEntryView } from "@/lib/audit/audit-entry-view";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, auditLogApi.list.query);
  if (!query.ok) return query.response;
  const { limit, cursor, from, to, ...filters } = query.data;
  const rows = await listAuditEntries(db, {
    workspaceId: principal.workspaceId,
    ...filters,
    from: from ? new Date(from) : undefined,
    to: to ? new Date(to) : undefined,
    beforeId: cursor,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeAuditCursor(items.at(-1)!.id) : null;
  return NextResponse.json({ data: items.map(auditEntryView), nextCursor });
});
