import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Shown by the API next to the secret. */
export const INBOX_TOKEN_ALGORITHM = "hex(hmac_sha256(secret, contactId))";

/** Recognisable in logs and secret scanners; 32 random bytes after it. */
const SECRET_PREFIX = "inbox_sk_";

export function newInboxSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/**
 * The token a customer's backend gives its frontend for one contact:
 * `hex(hmac_sha256(secret, contactId))`, the secret's UTF-8 bytes as the key. Any HMAC library
 * mints it; it does not expire, so rotating the secret is how every token is revoked.
 */
export function mintInboxToken(secret: string, contactId: string): string {
  return createHmac("sha256", secret).update(contactId).digest("hex");
}

/** Constant-time check; a token of the wrong shape is simply not valid. */
export function isValidInboxToken(secret: string, contactId: string, token: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(token)) return false;
  return timingSafeEqual(Buffer.from(mintInboxToken(secret, contactId), "hex"), Buffer.from(token, "hex"));
}
