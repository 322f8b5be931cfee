import { createHmac, timingSafeEqual } from "node:crypto";
import type { TrackingSecret } from "@/lib/config/tracking-secret";

/**
 * The signed tokens in Sendline's public links (tracking, push reports, export downloads, erasure
 * restores): base64url(payload) "." base64url(HMAC-SHA256 truncated to 128 bits), signed with the
 * tracking secret. Each kind of token has its own `purpose`, from which its key is derived, so a
 * token of one kind never verifies as another even though one secret signs them all. (The
 * tracking links predate purposes: theirs is empty, the secret itself, so old mail keeps working.)
 */
const MAC_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: Buffer, purpose: string, payload: Buffer): Buffer {
  const key = purpose ? createHmac("sha256", secret).update(purpose).digest() : secret;
  return createHmac("sha256", key).update(payload).digest().subarray(0, MAC_BYTES);
}

/** Strict base64url: Buffer.from() skips junk characters, which would let altered tokens through. */
function decodeBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

export function signPayload(payload: Buffer, purpose: string, secret: TrackingSecret): string {
  return `${payload.toString("base64url")}.${mac(secret.current, purpose, payload).toString("base64url")}`;
}

/**
 * The payload of a token signed for `purpose` with the secret (or the fallback while rotating);
 * null for anything else. Every key is checked, so timing does not tell which one matched. The
 * caller interprets the payload only after this.
 */
export function verifiedPayload(token: string, purpose: string, secret: TrackingSecret): Buffer | null {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const payload = decodeBase64url(parts[0]!);
  const signature = decodeBase64url(parts[1]!);
  if (!payload || !signature || signature.length !== MAC_BYTES) return null;
  const keys = secret.fallback ? [secret.current, secret.fallback] : [secret.current];
  return keys.map((key) => timingSafeEqual(mac(key, purpose, payload), signature)).some(Boolean) ? payload : null;
}

/** A uuid as its 16 bytes, for a payload; `what` says what needed it, for the error. */
export function uuidBytes(id: string, what: string): Buffer {
  if (!UUID.test(id)) throw new TypeError(`${what}, got ${JSON.stringify(id)}`);
  return Buffer.from(id.replace(/-/g, ""), "hex");
}

export function uuidString(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
