import { NextResponse } from "next/server";
import { listMailboxConnections } from "@/db/queries/mailbox-connections";
import { page } from "@/core/pagination/cursor";
import { mailboxApi } from "@/lib/api/contracts/mailbox";
import { inngest } from "@/inngest/client";
import { mailboxStartEvents } from "@/inngest/mailbox-sync-event";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { connectImapMailbox } from "@/lib/mailbox/imap/connect-imap-mailbox";
import { logger } from "@/lib/observability/logger";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, mailboxApi.listConnections.query);
  if (!query.ok) return query.response;
  const rows = await listMailboxConnections(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(mailboxConnectionView), nextCursor });
});

/**
 * Connect an IMAP mailbox: the login is checked first (422 refused, 502 unreachable; nothing is
 * stored then), the password sealed, and two syncs queued with ids named after the connection:
 * incremental (records each folder's UIDNEXT, so nothing arriving from now on is missed) and
 * backfill (walks the history down from there).
 */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, mailboxApi.createConnection.body);
  if (!body.ok) return body.response;
  const result = await connectImapMailbox(db, principal.workspaceId, body.data);
  if (!result.ok) return apiError(result.problem.status, result.problem.code, result.problem.message, { [result.problem.field]: [result.problem.message] });
  const ids = { workspaceId: principal.workspaceId, connectionId: result.connection.id };
  await recordApiAction(db, principal, { action: "mailbox.connected", targetType: "mailbox_connection", targetId: result.connection.id });
  try {
    await inngest.send(mailboxStartEvents(ids, { key: "created", backfilled: false }));
  } catch (error) {
    logger.error({ err: error, ...ids }, "mailbox: could not queue the first sync");
    return apiError(503, "queue_unavailable", "The mailbox is connected but its first sync could not be queued; the 15-minute schedule will start it");
  }
  return NextResponse.json(mailboxConnectionView(result.connection), { status: 201 });
});
