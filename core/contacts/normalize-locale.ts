import { accept, type Normalized, reject } from "./normalized";

/**
 * Canonicalises a BCP 47 language tag ("en-us" → "en-US", "zh_hant_tw" → "zh-Hant-TW").
 * Underscores are accepted because POSIX-style locales are what spreadsheets usually hold.
 */
export function normalizeLocale(input: string): Normalized<string> {
  const tag = input.trim().replaceAll("_", "-");
  if (tag === "") return reject("is empty");
  if (tag.length > 35) return reject("is not a BCP 47 language tag such as en-US");
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ? accept(canonical) : reject("is not a BCP 47 language tag such as en-US");
  } catch {
    return reject("is not a BCP 47 language tag such as en-US");
  }
}
