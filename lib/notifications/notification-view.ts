import type { Message } from "@/db/queries/messages";

/** The public shape of a notification (GET /api/v1/notifications/:id and list items). */
export function notificationView(message: Message) {
  return {
    id: message.id,
    messageId: message.idempotencyKey,
    status: message.status,
    channel: message.channel,
    recipient: message.recipient,
    contactId: message.contactId,
    templateId: message.templateId,
    category: message.category,
    subject: message.subject,
    provider: message.provider,
    providerMessageId: message.providerMessageId,
    error: message.error,
    timestamps: {
      queuedAt: message.queuedAt,
      sentAt: message.sentAt,
      deliveredAt: message.deliveredAt,
      openedAt: message.openedAt,
      clickedAt: message.clickedAt,
      bouncedAt: message.bouncedAt,
      complainedAt: message.complainedAt,
      failedAt: message.failedAt,
      suppressedAt: message.suppressedAt,
    },
  };
}
