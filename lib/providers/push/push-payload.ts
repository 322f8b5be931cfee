import { ProviderError } from "@/lib/providers/errors";
import type { PushNotification } from "./push-provider";

/**
 * Web Push services must accept 4096 bytes of encrypted payload (RFC 8030 §7.2); aes128gcm
 * spends 86 on its header, 16 on the tag and 1 on the padding delimiter (RFC 8291 §4), leaving
 * 3993 bytes of JSON. FCM allows 4 KB of `data` too, so one budget serves both.
 */
export const MAX_PUSH_PAYLOAD_BYTES = 3_993;

/** The JSON the service worker reads; short keys are not worth the obscurity at this size. */
export type PushPayload = { v: 1; messageId: string; title: string; body: string; url: string | null; report: string };

/**
 * The notification as its service worker receives it. A body too long for the payload is cut
 * (with an ellipsis) rather than refused: a notification shows a few lines anyway. A title, URL
 * and report link that alone overflow the budget cannot be cut sensibly: the message fails for good.
 */
export function pushPayload(notification: PushNotification): string {
  const payload: PushPayload = { v: 1, messageId: notification.messageId, title: notification.title, body: notification.body, url: notification.url, report: notification.reportUrl };
  const full = JSON.stringify(payload);
  if (Buffer.byteLength(full) <= MAX_PUSH_PAYLOAD_BYTES) return full;
  const fixed = Buffer.byteLength(JSON.stringify({ ...payload, body: "" }));
  if (fixed + 8 > MAX_PUSH_PAYLOAD_BYTES) {
    throw new ProviderError("the push notification's title and link do not fit in 4 KB", "permanent", { provider: "push", notAccepted: true });
  }
  // Cut by code points, re-measuring the escaped JSON (quotes and newlines grow when escaped).
  const chars = Array.from(notification.body);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const size = Buffer.byteLength(JSON.stringify({ ...payload, body: `${chars.slice(0, mid).join("")}…` }));
    if (size <= MAX_PUSH_PAYLOAD_BYTES) low = mid;
    else high = mid - 1;
  }
  return JSON.stringify({ ...payload, body: `${chars.slice(0, low).join("")}…` });
}
