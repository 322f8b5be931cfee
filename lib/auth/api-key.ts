import { createHash, randomBytes } from "node:crypto";

/**
 * Keys look like `sl_3f9a2c1b_<43 chars>`: a visible prefix to tell keys apart, then 256
 * random bits. Only the SHA-256 of the whole key is stored; the key is shown once.
 */
const KEY_PATTERN = /^sl_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const prefix = `sl_${randomBytes(4).toString("hex")}`;
  const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}
