import { assertTrackingSecret, type TrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";
import { signPayload, uuidBytes, uuidString, verifiedPayload } from "@/lib/security/signed-token";

// Fails at start-up in production when TRACKING_SECRET is missing (see assertTrackingSecret).
assertTrackingSecret();

/** o = open pixel, c = click (carries the destination), u = unsubscribe, p = the preference center. */
export type TrackingAction = "o" | "c" | "u" | "p";

export type TrackingTarget =
  | { action: "o"; messageId: string }
  | { action: "c"; messageId: string; url: string }
  | { action: "u"; messageId: string }
  | { action: "p"; messageId: string };

export type TrackingTargetOf<A extends TrackingAction> = Extract<TrackingTarget, { action: A }>;

/**
 * Longer destinations are left untracked: the token travels in the URL path, and many proxies
 * and mail clients cut URLs somewhere past 2 KB.
 */
export const MAX_CLICK_URL_BYTES = 1_500;

const VERSION = 1;
const HEADER_BYTES = 2 + 16; // version, action, message uuid
const ACTIONS: readonly TrackingAction[] = ["o", "c", "u", "p"];
/** Tracking links predate purposes (lib/security/signed-token.ts): signed with the secret itself. */
const PURPOSE = "";

/**
 * An opaque, signed token naming a message and what the link does:
 * base64url(version · action · message uuid · click url) "." base64url(truncated HMAC).
 * Deterministic (no nonce or expiry), so re-rendering a message yields the same links, and
 * links in old mail keep working.
 */
export function signTrackingToken(target: TrackingTarget, secret: TrackingSecret = trackingSecret()): string {
  const url = target.action === "c" ? Buffer.from(target.url, "utf8") : Buffer.alloc(0);
  if (target.action === "c" && (url.length === 0 || url.length > MAX_CLICK_URL_BYTES)) {
    throw new RangeError(`A click token needs a URL of 1 to ${MAX_CLICK_URL_BYTES} bytes`);
  }
  const payload = Buffer.concat([Buffer.from([VERSION, target.action.charCodeAt(0)]), uuidBytes(target.messageId, "A tracking token needs a message uuid"), url]);
  return signPayload(payload, PURPOSE, secret);
}

/**
 * The target of a token signed with our secret (or the fallback while rotating) for exactly
 * `action`; null for anything else: altered, truncated, re-used for another action, or not a
 * token at all. The MAC is checked before the payload is interpreted.
 */
export function verifyTrackingToken<A extends TrackingAction>(
  token: string,
  action: A,
  secret: TrackingSecret = trackingSecret(),
): TrackingTargetOf<A> | null {
  const payload = verifiedPayload(token, PURPOSE, secret);
  if (!payload || payload.length < HEADER_BYTES) return null;

  const tokenAction = String.fromCharCode(payload[1]!) as TrackingAction;
  if (payload[0] !== VERSION || !ACTIONS.includes(tokenAction) || tokenAction !== action) return null;
  const messageId = uuidString(payload.subarray(2, HEADER_BYTES));
  const rest = payload.subarray(HEADER_BYTES);
  if (action !== "c") return rest.length === 0 ? ({ action, messageId } as TrackingTargetOf<A>) : null;
  const url = rest.toString("utf8");
  // We only ever sign http(s) destinations; anything else is not ours to redirect to.
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null;
  return { action, messageId, url } as TrackingTargetOf<A>;
}
