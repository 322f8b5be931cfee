import { assertTrackingSecret, type TrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";
import { signPayload, uuidBytes, uuidString, verifiedPayload } from "@/lib/security/signed-token";

// Fails at start-up in production when TRACKING_SECRET is missing (see assertTrackingSecret).
assertTrackingSecret();

/**
 * Signed download links for exports, in the shape of the tracking tokens
 * (lib/tracking/tracking-token.ts): base64url(version · export uuid · expiry in seconds) "."
 * base64url(truncated HMAC-SHA256). The key is derived from TRACKING_SECRET for this purpose
 * alone, so no tracking token can ever pass as a download link or the other way round. The
 * expiry is inside the signed bytes: a link cannot be stretched, and an old one stays refused
 * even if the row were changed.
 */

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 6;
const PURPOSE = "sendline/export-download-link/v1";

export type ExportLink = { exportId: string; expiresAt: Date };

/** What a presented link is: valid (and not yet expired), expired (signature good, time passed), or not ours. */
export type ExportLinkCheck = { ok: true; link: ExportLink } | { ok: false; reason: "invalid" } | { ok: false; reason: "expired"; link: ExportLink };

export function signExportLink(link: ExportLink, secret: TrackingSecret = trackingSecret()): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  uuidBytes(link.exportId, "An export link needs an export uuid").copy(payload, 1);
  // Whole seconds, rounded down: a link never outlives its export.
  payload.writeUIntBE(Math.floor(link.expiresAt.getTime() / 1000), 17, 6);
  return signPayload(payload, PURPOSE, secret);
}

/** Checks the signature first (with the fallback key too while rotating), then the expiry against `now`. */
export function verifyExportLink(token: string, now: Date = new Date(), secret: TrackingSecret = trackingSecret()): ExportLinkCheck {
  const payload = verifiedPayload(token, PURPOSE, secret);
  if (!payload || payload.length !== PAYLOAD_BYTES || payload[0] !== VERSION) return { ok: false, reason: "invalid" };
  const exportId = uuidString(payload.subarray(1, 17));
  const link = { exportId, expiresAt: new Date(payload.readUIntBE(17, 6) * 1000) };
  return link.expiresAt.getTime() <= now.getTime() ? { ok: false, reason: "expired", link } : { ok: true, link };
}
