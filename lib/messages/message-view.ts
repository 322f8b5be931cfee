import type { Message } from "@/db/queries/messages";
import { notificationView } from "@/lib/notifications/notification-view";

/** Any message, transactional or campaign, as GET /api/v1/messages shows it (messageViewSchema). */
export function messageView(message: Message) {
  const { id, messageId, ...rest } = notificationView(message);
  return { id, messageId, kind: message.kind, campaignId: message.campaignId, ...rest };
}
