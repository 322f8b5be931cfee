import type { Db } from "@/db";
import { addDigestItem, type Digest } from "@/db/queries/digests";
import { getCategory } from "@/db/queries/notification-categories";
import type { NotificationRequest } from "@/lib/notifications/notification-request";
import { checkNotificationRequest, type RequestCheck } from "@/lib/notifications/request-notification";
import { metrics } from "@/lib/observability/metrics";

export type DigestOutcome = { ok: true; digest: Digest; opened: boolean } | Extract<RequestCheck, { ok: false }>;

/**
 * A notification of a digest category for a contact joins the contact's pending digest instead
 * of becoming a message of its own; null when it is not one (no contact, no category, or a
 * category without a digest window, a WhatsApp template message), and the request goes on as a plain notification. An item is
 * refused for what a notification would be (checkNotificationRequest), now rather than at flush.
 */
export async function digestNotification(db: Db, workspaceId: string, request: NotificationRequest): Promise<DigestOutcome | null> {
  // A WhatsApp template message is sent as it was approved: it has no body a digest could list.
  if (!request.contactId || !request.category || request.whatsapp) return null;
  const category = await getCategory(db, { workspaceId, key: request.category });
  if (!category?.digestWindowSeconds) return null;
  const check = await checkNotificationRequest(db, workspaceId, request);
  if (!check.ok) return check;
  const { digest, opened } = await addDigestItem(db, {
    workspaceId,
    contactId: request.contactId,
    category: category.key,
    channel: request.channel,
    windowSeconds: category.digestWindowSeconds,
    item: {
      idempotencyKey: request.messageId,
      templateId: request.templateId ?? null,
      subject: request.subject ?? null,
      body: request.body ?? null,
      data: request.data,
    },
  });
  metrics().deliveryRules.inc({ rule: "digested", channel: request.channel });
  return { ok: true, digest, opened };
}
