import { NextResponse } from "next/server";
import { listMessages } from "@/db/queries/messages";
import { inngest } from "@/inngest/client";
import { deliveryEvent } from "@/inngest/delivery-event";
import { digestOpened } from "@/inngest/events";
import { page } from "@/core/pagination/cursor";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { deliveryPath } from "@/lib/delivery/delivery-rules";
import { digestNotification } from "@/lib/delivery/digest-notification";
import { notificationsApi } from "@/lib/api/contracts/notifications";
import { notificationView } from "@/lib/notifications/notification-view";
import { requestNotification } from "@/lib/notifications/request-notification";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, notificationsApi.create.body);
  if (!body.ok) return body.response;
  const digested = await digestNotification(db, principal.workspaceId, body.data);
  if (digested?.ok) {
    const { digest } = digested;
    // Sent with every item, under one id per digest: one collect-digest run, even when the first send was lost.
    const sent = await sendOrFail(digestOpened.create({ workspaceId: digest.workspaceId, digestId: digest.id }, { id: `digest-opened-${digest.id}` }), principal.workspaceId);
    return sent ?? NextResponse.json({ digestId: digest.id, messageId: body.data.messageId, status: "digested" }, { status: 202 });
  }
  const outcome = digested ?? (await requestNotification(db, principal.workspaceId, body.data));
  if (!outcome.ok) {
    return outcome.status === 404
      ? apiError(404, "not_found", outcome.message)
      : apiError(400, "invalid_request", "The request has invalid fields", { [outcome.field]: [outcome.message] });
  }
  const { message } = outcome;
  // Sent on every request, not only the first: if an earlier send failed after the row was
  // written, this one starts the run; if it did not, the event id makes this a no-op.
  // Quiet hours or a capped category: the per-message orchestrator first; otherwise the batched sender.
  const path = await deliveryPath(db, message, !outcome.created);
  const failed = await sendOrFail(deliveryEvent(path, message), principal.workspaceId);
  if (failed) return failed;
  return NextResponse.json({ id: message.id, messageId: message.idempotencyKey, status: message.status }, { status: 202 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, notificationsApi.list.query);
  if (!query.ok) return query.response;
  const after = query.data.cursor;
  const rows = await listMessages(db, {
    workspaceId: principal.workspaceId,
    kind: "transactional",
    status: query.data.status,
    limit: query.data.limit + 1,
    after,
  });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.queuedAt, id: row.id }));
  return NextResponse.json({ data: items.map(notificationView), nextCursor });
});

async function sendOrFail(event: Parameters<typeof inngest.send>[0], workspaceId: string): Promise<Response | null> {
  try {
    await inngest.send(event);
    return null;
  } catch (error) {
    logger.error({ err: error, workspaceId }, "notifications: could not send the event");
    return apiError(503, "queue_unavailable", "The notification is recorded but could not be queued; retry the same request");
  }
}
