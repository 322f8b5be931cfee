import canonicalize from "canonicalize";
import { bytesToHex, sha256, utf8 } from "./seal-bytes";

/** RFC 8785 (JCS): one byte string per value, whatever order its keys were stored or sent in. */
export function canonicalBytes(body: unknown): Uint8Array {
  const text = canonicalize(body);
  if (text === undefined) throw new Error("a seal body must be a JSON value");
  return utf8(text);
}

export async function sealHash(body: unknown): Promise<string> {
  return bytesToHex(await sha256(canonicalBytes(body)));
}
