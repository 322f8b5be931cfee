import { assertTrackingSecret, type TrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";
import { signPayload, uuidBytes, uuidString, verifiedPayload } from "@/lib/security/signed-token";

// Fails at start-up in production when TRACKING_SECRET is missing (see assertTrackingSecret).
assertTrackingSecret();

const VERSION = 1;
/** Its own key, derived from the tracking secret (lib/security/signed-token.ts). */
const PURPOSE = "sendline/erasure-restore/1";

/**
 * The token of a recovery email's restore link: base64url(version · erasure uuid) "." base64url(MAC).
 * It names the erasure only; whether it still restores anything (inside the window, not used
 * before) is read from the erasure itself, so an old link says clearly why it no longer works.
 */
export function signRestoreToken(erasureId: string, secret: TrackingSecret = trackingSecret()): string {
  const payload = Buffer.concat([Buffer.from([VERSION]), uuidBytes(erasureId, "A restore token needs an erasure uuid")]);
  return signPayload(payload, PURPOSE, secret);
}

/** The erasure a token names, or null for anything not signed by us for a restore. */
export function verifyRestoreToken(token: string, secret: TrackingSecret = trackingSecret()): { erasureId: string } | null {
  const payload = verifiedPayload(token, PURPOSE, secret);
  if (!payload || payload.length !== 17 || payload[0] !== VERSION) return null;
  return { erasureId: uuidString(payload.subarray(1)) };
}
