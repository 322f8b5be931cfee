import type { Message } from "@/db/queries/messages";
import type { DeliveryPath } from "@/lib/delivery/delivery-rules";
import { notificationEventId } from "@/lib/notifications/notification-event-id";
import { notificationDeliveryRequested, notificationSendRequested } from "./events";

/**
 * The event that queues a recorded message on its path (lib/delivery/delivery-rules.ts): the
 * batched sender directly, or deliver-with-rules first. The id is derived from the caller's
 * messageId, so a repeated request starts no second run of either function.
 */
export function deliveryEvent(path: DeliveryPath, message: Pick<Message, "id" | "workspaceId" | "idempotencyKey" | "channel" | "contactId">) {
  const id = notificationEventId(message.workspaceId, message.idempotencyKey);
  if (path === "batched") return notificationSendRequested.create({ workspaceId: message.workspaceId, messageId: message.id, channel: message.channel }, { id });
  return notificationDeliveryRequested.create(
    { workspaceId: message.workspaceId, messageId: message.id, contactKey: message.contactId ?? message.id },
    { id: `rules-${id}` },
  );
}
