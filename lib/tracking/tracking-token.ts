import { createHmac, timingSafeEqual } from "node:crypto";
import { assertTrackingSecret, type TrackingSecret, trackingSecret } from "@/lib/config/tracking-secret";

// Fails at start-up in production when TRACKING_SECRET is missing (see assertTrackingSecret).
assertTrackingSecret();

/** o = open pixel, c = click (carries the destination), u = unsubscribe. */
export type TrackingAction = "o" | "c" | "u";

export type TrackingTarget = { action: "o"; messageId: string } | { action: "c"; messageId: string; url: string } | { action: "u"; messageId: string };

export type TrackingTargetOf<A extends TrackingAction> = Extract<TrackingTarget, { action: A }>;

/**
 * Longer destinations are left untracked: the token travels in the URL path, and many proxies
 * and mail clients cut URLs somewhere past 2 KB.
 */
export const MAX_CLICK_URL_BYTES = 1_500;

const VERSION = 1;
/** 128 bits of HMAC-SHA256: forging one still takes 2^128 guesses, and links stay short. */
const MAC_BYTES = 16;
const HEADER_BYTES = 2 + 16; // version, action, message uuid
const ACTIONS: readonly TrackingAction[] = ["o", "c", "u"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(key: Buffer, payload: Buffer): Buffer {
  return createHmac("sha256", key).update(payload).digest().subarray(0, MAC_BYTES);
}

function uuidBytes(messageId: string): Buffer {
  if (!UUID.test(messageId)) throw new TypeError(`A tracking token needs a message uuid, got ${JSON.stringify(messageId)}`);
  return Buffer.from(messageId.replace(/-/g, ""), "hex");
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Strict base64url: Buffer.from() skips junk characters, which would let altered tokens through. */
function decodeBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

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
  const payload = Buffer.concat([Buffer.from([VERSION, target.action.charCodeAt(0)]), uuidBytes(target.messageId), url]);
  return `${payload.toString("base64url")}.${mac(secret.current, payload).toString("base64url")}`;
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
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const payload = decodeBase64url(parts[0]!);
  const signature = decodeBase64url(parts[1]!);
  if (!payload || !signature || signature.length !== MAC_BYTES || payload.length < HEADER_BYTES) return null;
  const keys = secret.fallback ? [secret.current, secret.fallback] : [secret.current];
  // Check every key, so timing does not tell which one matched.
  const valid = keys.map((key) => timingSafeEqual(mac(key, payload), signature)).some(Boolean);
  if (!valid) return null;

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
