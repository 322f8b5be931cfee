"use server";

import { randomUUID } from "node:crypto";
import { inngest } from "@/inngest/client";
import { notificationSendRequested } from "@/inngest/events";
import { notificationRequest } from "@/lib/notifications/notification-request";
import { notificationEventId } from "@/lib/notifications/notification-event-id";
import { requestNotification } from "@/lib/notifications/request-notification";
import { logger } from "@/lib/observability/logger";
import { dashboardContext } from "../_lib/workspace";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
};

/**
 * "Send" on the inbox demo: an in-app notification queued exactly as POST /api/v1/notifications
 * queues one, so what the page shows is the real path (engine, provider, feed, stream).
 */
export type SendTestState = { ok: boolean; message: string } | null;

export async function sendTestInAppNotification(_previous: SendTestState, form: FormData): Promise<SendTestState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const actionUrl = text(form, "actionUrl");
  const parsed = notificationRequest.safeParse({
    messageId: `inbox-demo-${randomUUID()}`,
    channel: "in_app",
    contactId: text(form, "contact"),
    subject: text(form, "title"),
    body: text(form, "body"),
    data: actionUrl ? { actionUrl } : {},
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${issue.path.join(".") || "request"}: ${issue.message}` };
  }
  const outcome = await requestNotification(db, workspace.id, parsed.data);
  if (!outcome.ok) return { ok: false, message: outcome.message };
  try {
    await inngest.send(
      notificationSendRequested.create(
        { workspaceId: workspace.id, messageId: outcome.message.id, channel: outcome.message.channel },
        { id: notificationEventId(workspace.id, outcome.message.idempotencyKey) },
      ),
    );
  } catch (error) {
    logger.error({ err: error, workspaceId: workspace.id }, "inbox-demo: could not queue the test notification");
    return { ok: false, message: "The notification is recorded but could not be queued: is the Inngest server running?" };
  }
  return { ok: true, message: "Queued: it appears in the inbox as soon as it is delivered." };
}
