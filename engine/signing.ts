import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

const PREFIX = /^signkey-[\w]+-/;

/** Body text the engine sends in cloud mode: canonical JSON, so the SDK's JCS check matches byte for byte. */
export function canonicalBody(body: unknown): string {
  return canonicalize(body) ?? "null";
}

/** `X-Inngest-Signature` value for a body; the HMAC key is the key's text after `signkey-<env>-`. */
export function signBody(bodyText: string, signingKey: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000).toString();
  const key = signingKey.replace(PREFIX, "");
  const s = createHmac("sha256", key).update(bodyText + t).digest("hex");
  return `t=${t}&s=${s}`;
}

/** What the SDK sends as `Authorization: Bearer …`: the prefix plus sha256 of the key's bytes. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? "";
  const key = signingKey.replace(PREFIX, "");
  return prefix + createHash("sha256").update(Buffer.from(key, "hex")).digest("hex");
}

export function bearerMatches(header: string | null | undefined, keys: string[]): boolean {
  if (!header) return false;
  const token = header.replace(/^Bearer\s+/i, "");
  return keys.some((k) => {
    const want = Buffer.from(hashedSigningKey(k));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  });
}
