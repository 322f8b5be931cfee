const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The largest index ≤ `at` that does not fall between the two halves of a surrogate pair. */
function codePointBoundary(value: string, at: number): number {
  return at > 0 && isHighSurrogate(value.charCodeAt(at - 1)) && isLowSurrogate(value.charCodeAt(at)) ? at - 1 : at;
}

/**
 * `value` shortened to at most `maxChars` UTF-16 units, `marker` included, or `value` itself
 * when it fits. The cut falls between user-perceived characters (grapheme clusters), so it
 * never splits a surrogate pair — half of one is text JSON and PostgreSQL refuse — nor an
 * emoji ZWJ sequence or a letter from its combining marks. Only a single cluster longer than
 * the whole budget (a letter under hundreds of combining marks) is cut inside, and then at a
 * code point boundary.
 */
export function cutText(value: string, maxChars: number, marker = "…"): string {
  if (value.length <= maxChars) return value;
  const budget = Math.max(0, maxChars - marker.length);
  let end = 0;
  // The segmenter is lazy: only the kept prefix and one cluster more are examined.
  for (const { index, segment } of graphemes.segment(value)) {
    if (index + segment.length > budget) break;
    end = index + segment.length;
  }
  if (end === 0) end = codePointBoundary(value, budget);
  return `${value.slice(0, end)}${marker}`;
}
