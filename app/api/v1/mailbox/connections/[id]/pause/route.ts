import { NextResponse } from "next/server";
import { z } from "zod";
import { getMailboxConnection, setMailboxConnectionStatus } from "@/db/queries/mailbox-connections";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

/** The running import finishes its current page and stops; resume picks up at the stored cursor. */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Connection");
  const ids = { workspaceId: principal.workspaceId, connectionId: params.id };
  const row = await setMailboxConnectionStatus(db, { ...ids, from: ["active"], to: "paused", reason: "Paused through the API" });
  if (!row) {
    const current = await getMailboxConnection(db, ids);
    return current ? apiError(409, "conflict", `The connection is ${current.status}`) : notFound("Connection");
  }
  await recordApiAction(db, principal, { action: "mailbox.paused", targetType: "mailbox_connection", targetId: row.id });
  return NextResponse.json(mailboxConnectionView(row));
});
