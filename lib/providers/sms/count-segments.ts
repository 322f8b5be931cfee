/** GSM 03.38 default alphabet: one septet each. (0x1B, the escape, is not a character.) */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** The extension table: each costs two septets (escape + character). */
const GSM7_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = "GSM-7" | "UCS-2";

export type SegmentCount = {
  encoding: SmsEncoding;
  segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
};

/** A single message carries 140 bytes; a concatenated part loses 6 of them to the UDH. */
const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  "GSM-7": { single: 160, part: 153 },
  "UCS-2": { single: 70, part: 67 },
};

/**
 * Segments the body costs as written. Parts are packed greedily because an escape pair
 * (GSM-7) or a surrogate pair (UCS-2) is never split across two parts, so a 306-septet body
 * can need three parts, not two. Counts the body as given: a provider's "smart encoding"
 * (curly quotes → straight) may make the real figure lower, never higher.
 */
export function countSegments(body: string): SegmentCount {
  const chars = Array.from(body);
  const encoding: SmsEncoding = chars.every((c) => BASIC.has(c) || EXTENSION.has(c)) ? "GSM-7" : "UCS-2";
  const costs = chars.map((c) => (encoding === "GSM-7" ? (EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const limit = LIMITS[encoding];
  if (units === 0) return { encoding, segments: 0, units };
  if (units <= limit.single) return { encoding, segments: 1, units };

  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limit.part) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, segments, units };
}
