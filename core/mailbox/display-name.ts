export type PersonName = { firstName: string; lastName: string | null };

/**
 * First and last name from a display name, only where the split is safe: one or two (or a
 * "Last, First") plain words. Anything else — an address as the name, a role ("Sales Team"),
 * more words, digits — gives null, and the contact keeps whatever names it has.
 */
export function splitDisplayName(name: string | null | undefined, address: string): PersonName | null {
  if (!name) return null;
  const text = name.normalize("NFC").replace(/^["'\s]+|["'\s]+$/g, "").replace(/\s+/g, " ");
  if (text === "" || text.includes("@") || text.toLowerCase() === address.toLowerCase()) return null;
  if (/[\d_/\\|<>()[\]{}:;!?#$%*=+]/u.test(text)) return null;
  if (ROLE_WORDS.test(text)) return null;
  const comma = text.split(",").map((part) => part.trim());
  if (comma.length === 2 && isWord(comma[0]!) && isWord(comma[1]!)) return { firstName: comma[1]!, lastName: comma[0]! };
  if (comma.length > 1) return null;
  const words = text.split(" ");
  if (!words.every(isWord)) return null;
  if (words.length === 1) return { firstName: words[0]!, lastName: null };
  if (words.length === 2) return { firstName: words[0]!, lastName: words[1]! };
  return null;
}

// A name word: letters with inner apostrophes, hyphens or dots ("O'Neil", "Jean-Luc", "J.").
const WORD = /^\p{L}[\p{L}\p{M}'’.-]*$/u;
const isWord = (word: string) => WORD.test(word) && word.length <= 40;

const ROLE_WORDS = /\b(?:team|support|sales|info|admin|billing|service|services|newsletter|notifications?|customer|help|desk|office|department|inc|ltd|llc|gmbh)\b/iu;
