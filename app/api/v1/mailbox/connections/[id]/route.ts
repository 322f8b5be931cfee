import { NextResponse } from "next/server";
import { z } from "zod";
import { getMailboxConnection, setMailboxConnectionStatus } from "@/db/queries/mailbox-connections";
import { recordApiAction } from "@/lib/api/record-api-action";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Connection");
  const row = await getMailboxConnection(db, { workspaceId: principal.workspaceId, connectionId: params.id });
  return row ? NextResponse.json(mailboxConnectionView(row)) : notFound("Connection");
});

/**
 * Disconnect: the running import stops before its next page (each page re-reads the status
 * under the connection's lock). Messages and contacts already extracted stay, as for a cancelled
 * contact import; a disconnected connection is never resumed.
 */
export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Connection");
  const ids = { workspaceId: principal.workspaceId, connectionId: params.id };
  const moved = await setMailboxConnectionStatus(db, { ...ids, from: ["active", "paused", "error"], to: "disconnected", reason: "Disconnected through the API" });
  const row = moved ?? (await getMailboxConnection(db, ids));
  if (!row) return notFound("Connection");
  if (moved) await recordApiAction(db, principal, { action: "mailbox.disconnected", targetType: "mailbox_connection", targetId: row.id });
  return NextResponse.json(mailboxConnectionView(row));
});
