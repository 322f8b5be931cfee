/**
 * What PostgreSQL cannot store in text or jsonb, whatever the database encoding: NUL, and half
 * of a UTF-16 surrogate pair. (A lone surrogate has no UTF-8 form: as a text parameter it is
 * silently replaced on the way out, but as a `\udXXX` escape in JSON — which is what
 * JSON.stringify makes of it — jsonb refuses the whole document.) In a `u` regex, \p{Cs}
 * matches only surrogates that are not part of a pair, which is what isWellFormed looks for.
 */
const UNSTORABLE_ALL = /[\0\p{Cs}]/gu;

/** The replacement character, as decoders use it for what they could not read. */
export const REPLACEMENT_CHARACTER = "\uFFFD";

export function isStorableText(value: string): boolean {
  // The same test as UNSTORABLE, natively: an import asks it of every value it reads.
  return value.isWellFormed() && !value.includes("\0");
}

/** `value` with each NUL and each lone surrogate replaced by U+FFFD; the same string when there is none. */
export function storableText(value: string): string {
  return isStorableText(value) ? value : value.replace(UNSTORABLE_ALL, REPLACEMENT_CHARACTER);
}

/**
 * JSON text a jsonb cast accepts, for values whose strings are reports about user input (row
 * problems, messages): each string made storable on the way, so one odd character cannot fail
 * the statement that records it.
 */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? storableText(item) : item));
}
