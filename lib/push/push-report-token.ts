import { assertTrackingSecret, type TrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";
import { publicUrl } from "@/lib/config/public-url";
import { signPayload, uuidBytes, uuidString, verifiedPayload } from "@/lib/security/signed-token";

assertTrackingSecret();

/** What a service worker reports about a push message: shown on the device, then clicked. */
export const PUSH_REPORTS = ["delivered", "clicked"] as const;
export type PushReport = (typeof PUSH_REPORTS)[number];

const VERSION = 1;
/** Its own key, derived from the tracking secret (lib/security/signed-token.ts). */
const PURPOSE = "sendline push report v1";

/**
 * base64url(version · message uuid) "." base64url(truncated HMAC-SHA256): names one message, so
 * a device can only move its own message forward. No expiry: a notification clicked a week later
 * still counts.
 */
export function signPushReportToken(messageId: string, secret: TrackingSecret = trackingSecret()): string {
  const payload = Buffer.concat([Buffer.from([VERSION]), uuidBytes(messageId, "A push report token needs a message uuid")]);
  return signPayload(payload, PURPOSE, secret);
}

/** The message a token names, or null for anything not signed by us (or the fallback key while rotating). */
export function verifyPushReportToken(token: string, secret: TrackingSecret = trackingSecret()): string | null {
  const payload = verifiedPayload(token, PURPOSE, secret);
  if (!payload || payload.length !== 17 || payload[0] !== VERSION) return null;
  return uuidString(payload.subarray(1));
}

/** The service worker posts to `<this>/delivered` and `<this>/clicked` (app/t/push/[token]/[report]/route.ts). */
export function pushReportUrl(messageId: string, baseUrl: string = publicUrl()): string {
  return `${baseUrl.replace(/\/+$/, "")}/t/push/${signPushReportToken(messageId)}`;
}
