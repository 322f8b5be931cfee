import { NextResponse } from "next/server";
import { page } from "@/core/pagination/cursor";
import { failDataExport, listDataExports } from "@/db/queries/data-exports";
import { inngest } from "@/inngest/client";
import { exportRequestedEvent } from "@/inngest/export-event";
import { exportsApi } from "@/lib/api/contracts/exports";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { exportView } from "@/lib/exports/export-view";
import { requestExport } from "@/lib/exports/request-export";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, exportsApi.create.body);
  if (!body.ok) return body.response;
  const requested = await requestExport(db, principal.workspaceId, body.data, `api_key:${principal.apiKeyId}`);
  if (!requested.ok) return notFound(requested.what);
  const ids = { workspaceId: principal.workspaceId, exportId: requested.export.id };
  try {
    await inngest.send(exportRequestedEvent(ids));
  } catch (error) {
    logger.error({ err: error, ...ids }, "exports: could not send the request event");
    // Not left queued forever: the list shows why, and a new request starts afresh.
    await failDataExport(db, { ...ids, error: "The export could not be queued; request it again", finishedAt: new Date() });
    return apiError(503, "queue_unavailable", "The export could not be queued; retry");
  }
  return NextResponse.json(exportView(requested.export), { status: 202 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, exportsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listDataExports(db, {
    workspaceId: principal.workspaceId,
    limit: query.data.limit + 1,
    after: query.data.cursor,
    status: query.data.status,
    subject: query.data.subject,
    contactId: query.data.contactId,
  });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  const now = new Date();
  return NextResponse.json({ data: items.map((row) => exportView(row, now)), nextCursor });
});
