import { NextResponse } from "next/server";
import { z } from "zod";
import { getMailboxConnection, setMailboxConnectionStatus } from "@/db/queries/mailbox-connections";
import { inngest } from "@/inngest/client";
import { mailboxImportRequested } from "@/inngest/events";
import { mailboxStartEvents } from "@/inngest/mailbox-sync-event";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

/**
 * Back to active, and a new import run (or, for a synced mailbox, a sync) from the stored cursor. The event id names the cursor
 * and the resume time, so each resume starts a run (a repeat of the first event's id would be
 * dropped) while a stale run still finishing its page finds the cursor moved and writes nothing.
 */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Connection");
  const ids = { workspaceId: principal.workspaceId, connectionId: params.id };
  const row = await setMailboxConnectionStatus(db, { ...ids, from: ["paused"], to: "active", reason: null });
  if (!row) {
    const current = await getMailboxConnection(db, ids);
    return current ? apiError(409, "conflict", `The connection is ${current.status}`) : notFound("Connection");
  }
  await recordApiAction(db, principal, { action: "mailbox.resumed", targetType: "mailbox_connection", targetId: row.id });
  const at = row.updatedAt.getTime();
  if (row.kind === "import") await inngest.send(mailboxImportRequested.create(ids, { id: `mailbox-resume-${row.id}-${at}` }));
  // A synced mailbox reads what arrived while it was paused, and the rest of its history if the backfill was cut short.
  else await inngest.send(mailboxStartEvents(ids, { key: `resumed-${at}`, backfilled: row.backfilledAt !== null }));
  return NextResponse.json(mailboxConnectionView(row));
});
