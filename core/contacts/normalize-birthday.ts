import { accept, type Normalized, reject } from "./normalized";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEARLESS_DATE = /^--(\d{2})-(\d{2})$/;
const EARLIEST_BIRTH_YEAR = 1900;
const FORMAT_RULE = "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown";

/** Days in a month of a leap year: the most a birthday without a year can have (29 February is a birthday too). */
const MAX_DAY_OF_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Accepts a birthday as YYYY-MM-DD, a calendar date that exists (no Feb 30, Feb 29 only in leap
 * years), not in the future and not before 1900; or as --MM-DD (ISO 8601's form without a year,
 * as vCard and Google Contacts write it) when the year is unknown, where 29 February is valid.
 * Other formats are the importer's job to convert: "03/04/1990" is ambiguous and guessing would
 * silently store the wrong day.
 */
export function normalizeBirthday(input: string, today: Date = new Date()): Normalized<string> {
  const text = input.trim();
  const yearless = YEARLESS_DATE.exec(text);
  if (yearless) {
    const [month, day] = [Number(yearless[1]), Number(yearless[2])];
    if (month < 1 || month > 12 || day < 1 || day > MAX_DAY_OF_MONTH[month - 1]!) return reject("is not a real date");
    return accept(text);
  }
  const match = ISO_DATE.exec(text);
  if (!match) return reject(FORMAT_RULE);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return reject("is not a real date");
  }
  if (year < EARLIEST_BIRTH_YEAR) return reject(`is before ${EARLIEST_BIRTH_YEAR}`);
  if (text > today.toISOString().slice(0, 10)) return reject("is in the future");
  return accept(text);
}
