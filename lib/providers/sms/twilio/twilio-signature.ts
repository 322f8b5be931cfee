import { createHmac, timingSafeEqual } from "node:crypto";

/** Form parameters as Twilio posted them; a key may repeat. */
export type FormParams = ReadonlyArray<readonly [string, string]>;

/**
 * Twilio's X-Twilio-Signature: HMAC-SHA1, keyed by the auth token, over the full URL Twilio
 * requested (query string included) followed by every POST parameter as name + value, sorted
 * by name (repeated names by value), base64-encoded.
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const sorted = [...params].sort(([aKey, aValue], [bKey, bValue]) => (aKey === bKey ? compare(aValue, bValue) : compare(aKey, bKey)));
  const data = sorted.reduce((acc, [key, value]) => acc + key + value, url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

export function isValidTwilioSignature(authToken: string, url: string, params: FormParams, signature: string): boolean {
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Code-unit order, as Twilio's own helpers sort (not locale order). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
