import { accept, type Normalized, reject } from "./normalized";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EARLIEST_BIRTH_YEAR = 1900;

/**
 * Accepts a calendar date as YYYY-MM-DD that exists (no Feb 30, Feb 29 only in leap years),
 * is not in the future and not before 1900. Other formats are the importer's job to convert:
 * "03/04/1990" is ambiguous and guessing would silently store the wrong day.
 */
export function normalizeBirthday(input: string, today: Date = new Date()): Normalized<string> {
  const text = input.trim();
  const match = ISO_DATE.exec(text);
  if (!match) return reject("must be a date as YYYY-MM-DD");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return reject("is not a real date");
  }
  if (year < EARLIEST_BIRTH_YEAR) return reject(`is before ${EARLIEST_BIRTH_YEAR}`);
  if (text > today.toISOString().slice(0, 10)) return reject("is in the future");
  return accept(text);
}
