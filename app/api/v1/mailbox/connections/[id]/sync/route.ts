import { NextResponse } from "next/server";
import { z } from "zod";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { inngest } from "@/inngest/client";
import { mailboxSyncEvent } from "@/inngest/mailbox-sync-event";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";

/**
 * Sync new mail now: an incremental run, which goes ahead of queued backfills. The event id
 * names the request's millisecond, so each press starts a run (one at a time per connection: a
 * second waits for the first and then finds little to read).
 */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Connection");
  const ids = { workspaceId: principal.workspaceId, connectionId: params.id };
  const row = await getMailboxConnection(db, ids);
  if (!row) return notFound("Connection");
  if (row.kind === "import") return apiError(409, "conflict", "An imported mailbox is read from its file, not synced");
  if (row.status !== "active") return apiError(409, "conflict", `The connection is ${row.status}`);
  await recordApiAction(db, principal, { action: "mailbox.sync_requested", targetType: "mailbox_connection", targetId: row.id });
  await inngest.send(mailboxSyncEvent(ids, "incremental", `requested-${Date.now()}`));
  return NextResponse.json(mailboxConnectionView(row));
});
