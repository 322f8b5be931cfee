import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { accept, type Normalized, reject } from "./normalized";

// Digits (ASCII or full-width), an optional leading plus and the punctuation people type;
// letters are refused so vanity numbers and stray text never parse into a different number.
const PHONE_CHARACTERS = /^[+＋]?[\d０-９\s().\-/\u00a0]+(?:\s*(?:x|ext\.?|extension|#)\s*\d+)?$/iu;

/**
 * Normalises a phone number to E.164. National numbers are read in `defaultRegion` (the
 * workspace's ISO 3166 region); international ones ("+44…", or "00…"/"011…" dialled from that
 * region) stand alone. Uses the full metadata so numbers are checked against real ranges,
 * not only lengths.
 */
export function normalizePhone(input: string, defaultRegion: string | null | undefined): Normalized<string> {
  const text = input.trim();
  if (text === "") return reject("is empty");
  if (!PHONE_CHARACTERS.test(text)) return reject("is not a phone number");
  const region = defaultRegion?.toUpperCase();
  const defaultCountry = region && isSupportedCountry(region) ? (region as CountryCode) : undefined;
  const phone = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : {});
  if (!phone) {
    return reject(defaultCountry ? "is not a phone number" : "needs a country code (e.g. +44…): the workspace has no default region");
  }
  if (phone.ext) return reject("has an extension, which E.164 cannot hold");
  if (!phone.isValid()) return reject(`is not a valid number for ${phone.country ?? `+${phone.countryCallingCode}`}`);
  return accept(phone.number);
}
