import { normalizeBirthday } from "@/core/contacts/normalize-birthday";
import { accept, type Normalized, reject } from "@/core/contacts/normalized";
import type { DateOrder } from "@/core/contacts/region-date-order";

// ISO 8601, with a midnight time some exports append ("1990-11-23 00:00:00", "…T00:00:00Z").
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/;
const YEAR_FIRST = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})$/;
const YEARLESS_ISO = /^--(\d{2})-?(\d{2})$/;
// A dot means day first, in every country that writes dates with dots (23.11.1990, 23.11.).
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})?$/;
const SLASHED = /^(\d{1,2})([/-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$/;
// Outlook writes an empty birthday as 0/0/00.
const EMPTY_DATE = /^0{1,2}([/.-])0{1,2}\1(?:0{2}|0{4})$/;

const pad = (n: string) => n.padStart(2, "0");

function canonical(year: string | undefined, month: string, day: string): string {
  return year === undefined ? `--${pad(month)}-${pad(day)}` : `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * Reads a birthday the way contact exports write one, and returns it as normalizeBirthday does
 * ("1990-11-23", or "--11-23" without a year), or null for an explicitly empty date (Outlook's
 * 0/0/00). Understood: ISO dates (with a midnight time), YYYY/MM/DD, YYYYMMDD, --MM-DD and --MMDD
 * (vCard, Google Contacts), DD.MM.YYYY and DD.MM. (day first), and MM/DD/YYYY, MM/DD, MM-DD-YYYY
 * or their day-first forms: when both numbers could be the month, `order` (the workspace
 * region's) decides; when one is above 12 it can only be the day. Two-digit years are refused:
 * the century would be a guess. Full dates keep the API's rules (a real day, not in the future,
 * not before 1900).
 */
export function parseImportBirthday(input: string, order: DateOrder, today?: Date): Normalized<string | null> {
  const text = input.trim();
  if (EMPTY_DATE.test(text)) return accept(null);
  let match = ISO.exec(text) ?? YEAR_FIRST.exec(text) ?? BASIC.exec(text);
  if (match) return normalizeBirthday(canonical(match[1], match[2]!, match[3]!), today);
  match = YEARLESS_ISO.exec(text);
  if (match) return normalizeBirthday(canonical(undefined, match[1]!, match[2]!), today);
  match = DOTTED.exec(text);
  if (match) return normalizeBirthday(canonical(match[3], match[2]!, match[1]!), today);
  match = SLASHED.exec(text);
  if (match) {
    const [, first, , second, year] = match as unknown as [string, string, string, string, string | undefined];
    if (year !== undefined && year.length === 2) return reject("has a two-digit year; write the year in full (e.g. 1990)");
    const dayFirst = Number(first) > 12 || (Number(second) <= 12 && order === "day-first");
    return normalizeBirthday(dayFirst ? canonical(year, second, first) : canonical(year, first, second), today);
  }
  return reject("is not a date this importer reads: use YYYY-MM-DD, --MM-DD, MM/DD/YYYY or DD.MM.YYYY");
}
