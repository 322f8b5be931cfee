import type { Db } from "@/db";
import { closeDigest, getDigest, listDigestItems, setDigestMessage } from "@/db/queries/digests";
import type { Message } from "@/db/queries/messages";
import type { NotificationRequest } from "@/lib/notifications/notification-request";
import { requestNotification } from "@/lib/notifications/request-notification";
import { metrics } from "@/lib/observability/metrics";

export type FlushOutcome = { message: Message } | { skipped: string };

/**
 * Turns a pending digest into its one message, once: the digest is closed first (a conditional
 * UPDATE, so a cancel racing it or a second flush does nothing), then the message is recorded
 * under the digest's own key, so a retry after a crash finds the same message. The message is
 * the latest item's content (its template, or subject and body) rendered with the latest item's
 * variables plus `digest.count` and `digest.items` (every item's variables, oldest first).
 */
export async function flushDigest(db: Db, ids: { workspaceId: string; digestId: string }): Promise<FlushOutcome> {
  const digest = (await closeDigest(db, { ...ids, to: "sent" })) ?? (await getDigest(db, ids));
  if (!digest) return { skipped: "missing" };
  if (digest.status === "cancelled") return { skipped: "cancelled" };
  const items = await listDigestItems(db, { digestId: digest.id });
  const latest = items.at(-1);
  if (!latest) return { skipped: "empty" };
  const outcome = await requestNotification(db, digest.workspaceId, {
    messageId: `digest:${digest.id}`,
    channel: digest.channel,
    contactId: digest.contactId,
    category: digest.category,
    // Stored from validated requests: JSON all the way down.
    data: { ...latest.data, digest: { count: items.length, items: items.map((item) => item.data) } } as NotificationRequest["data"],
    ...(latest.templateId ? { templateId: latest.templateId } : { subject: latest.subject ?? undefined, body: latest.body ?? "" }),
  });
  if (!outcome.ok) throw new Error(`digest ${digest.id} could not become a message: ${outcome.message}`);
  await setDigestMessage(db, { ...ids, messageId: outcome.message.id });
  if (outcome.created) metrics().deliveryRules.inc({ rule: "digest_sent", channel: digest.channel });
  return { message: outcome.message };
}
