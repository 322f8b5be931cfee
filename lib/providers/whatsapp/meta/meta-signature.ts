import { createHmac, timingSafeEqual } from "node:crypto";

/** Meta's X-Hub-Signature-256: `sha256=` + hex HMAC-SHA256 of the raw request body, keyed by the app secret. */
export function metaSignature(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** Constant-time; a header of another length or scheme is simply not valid. */
export function isValidMetaSignature(appSecret: string, rawBody: string | Buffer, header: string): boolean {
  const expected = Buffer.from(metaSignature(appSecret, rawBody));
  const given = Buffer.from(header.trim().toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
