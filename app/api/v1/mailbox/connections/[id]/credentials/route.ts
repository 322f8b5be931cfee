import { NextResponse } from "next/server";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { mailboxStartEvents } from "@/inngest/mailbox-sync-event";
import { mailboxApi } from "@/lib/api/contracts/mailbox";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { reconnectImapMailbox } from "@/lib/mailbox/imap/connect-imap-mailbox";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

/**
 * Reconnect after the server refused the stored password: the new one is checked by logging in,
 * sealed, and the connection is active again; a sync picks up from the stored cursor (and the
 * backfill too, if it had not finished).
 */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Connection");
  const body = await readJson(request, mailboxApi.reconnect.body);
  if (!body.ok) return body.response;
  const ids = { workspaceId: principal.workspaceId, connectionId: params.id };
  const result = await reconnectImapMailbox(db, ids, body.data.password);
  if (!result) return notFound("Connection");
  if (!result.ok) {
    const { problem } = result;
    return problem.status === 409 ? apiError(409, "conflict", problem.message) : apiError(problem.status, problem.code, problem.message, { [problem.field]: [problem.message] });
  }
  await recordApiAction(db, principal, { action: "mailbox.reconnected", targetType: "mailbox_connection", targetId: params.id });
  const at = result.connection.updatedAt.getTime();
  await inngest.send(mailboxStartEvents(ids, { key: `reconnected-${at}`, backfilled: result.connection.backfilledAt !== null }));
  return NextResponse.json(mailboxConnectionView(result.connection));
});
