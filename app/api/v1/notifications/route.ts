import { NextResponse } from "next/server";
import { listMessages } from "@/db/queries/messages";
import { inngest } from "@/inngest/client";
import { notificationSendRequested } from "@/inngest/events";
import { page } from "@/core/pagination/cursor";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { notificationEventId } from "@/lib/notifications/notification-event-id";
import { notificationsApi } from "@/lib/api/contracts/notifications";
import { notificationView } from "@/lib/notifications/notification-view";
import { requestNotification } from "@/lib/notifications/request-notification";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, notificationsApi.create.body);
  if (!body.ok) return body.response;
  const outcome = await requestNotification(db, principal.workspaceId, body.data);
  if (!outcome.ok) {
    return outcome.status === 404
      ? apiError(404, "not_found", outcome.message)
      : apiError(400, "invalid_request", "The request has invalid fields", { [outcome.field]: [outcome.message] });
  }
  const { message } = outcome;
  // Sent on every request, not only the first: if an earlier send failed after the row was
  // written, this one starts the run; if it did not, the event id makes this a no-op.
  try {
    await inngest.send(
      notificationSendRequested.create(
        { workspaceId: principal.workspaceId, messageId: message.id, channel: message.channel },
        { id: notificationEventId(principal.workspaceId, message.idempotencyKey) },
      ),
    );
  } catch (error) {
    logger.error({ err: error, workspaceId: principal.workspaceId }, "notifications: could not send the event");
    return apiError(503, "queue_unavailable", "The notification is recorded but could not be queued; retry the same request");
  }
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
