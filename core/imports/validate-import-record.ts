import { ATTRIBUTES_MAX_BYTES, ATTRIBUTES_MAX_KEYS, NAME_MAX_LENGTH } from "@/core/contacts/contact-input";
import { birthdayColumns } from "@/core/contacts/birthday-columns";
import { normalizeEmail } from "@/core/contacts/normalize-email";
import { normalizeLocale } from "@/core/contacts/normalize-locale";
import { normalizePhone } from "@/core/contacts/normalize-phone";
import { normalizeTimezone } from "@/core/contacts/normalize-timezone";
import type { Normalized } from "@/core/contacts/normalized";
import { accept, reject } from "@/core/contacts/normalized";
import { cutText } from "@/core/text/cut-text";
import type { DateOrder } from "@/core/contacts/region-date-order";
import type { ContactField } from "./contact-fields";
import type { ImportRecord, MultiValueField } from "./import-record";
import { parseImportBirthday } from "./parse-import-birthday";

/** Offending values in the error report are cut to this, so a 10,000-character cell stays a short line. */
export const IMPORT_ERROR_VALUE_MAX_CHARS = 200;

/** Prefix of a report line about a row that was imported with something left out. */
export const IMPORT_WARNING_PREFIX = "warning: ";

/** One line of the error report. `reason` of a skipped row or a warning starts with "skipped: " / "warning: ". */
export interface ImportRowProblem {
  line: number;
  column: string | null;
  reason: string;
  value: string | null;
}

/** Where an import puts a row's tags (labels, groups, categories): attribute `tags`, or lists of those names. */
export type ImportTagsTarget = "attribute" | "lists";

/** A row ready for the merge: normalised values, null where the file had nothing (or nothing usable). */
export interface ValidContactRow {
  line: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  timezone: string | null;
  /** The full date when the year is known. */
  birthday: string | null;
  /** Month and day of any known birthday, with or without a year. */
  birthdayMonth: number | null;
  birthdayDay: number | null;
  /** Strings, and `tags` as an array of strings. */
  attributes: Record<string, string | readonly string[]>;
  /** Names of the lists the row joins (tags as lists); empty otherwise. */
  lists: readonly string[];
}

export type ValidatedRecord =
  | { ok: true; row: ValidContactRow; warnings: ImportRowProblem[] }
  | { ok: false; problems: ImportRowProblem[]; warnings: ImportRowProblem[] };

export interface ValidateImportOptions {
  /** The workspace's region: national phone numbers are read in it. */
  defaultRegion: string | null;
  /** How the workspace's region writes numeric dates, for birthdays like 03/04. Default month first. */
  dateOrder?: DateOrder;
  columnOf: (field: ContactField) => string;
  tags?: ImportTagsTarget;
  today?: Date;
}

const NO_LISTS: readonly string[] = [];

function personName(value: string): Normalized<string> {
  return value.length > NAME_MAX_LENGTH ? reject(`is longer than ${NAME_MAX_LENGTH} characters`) : accept(value);
}

/** A report value cut to IMPORT_ERROR_VALUE_MAX_CHARS, never inside a character (see cutText). */
export function truncateValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return cutText(value, IMPORT_ERROR_VALUE_MAX_CHARS);
}

/** The first valid value of a multi-value field becomes the contact's; the others are kept as attributes. */
function pickCandidate(
  record: ImportRecord,
  field: MultiValueField,
  normalize: (value: string) => Normalized<string>,
  attributes: Record<string, string | readonly string[]>,
  invalid: ImportRowProblem[],
): string | null {
  let chosen: string | null = null;
  for (const candidate of record.candidates) {
    if (candidate.field !== field) continue;
    const result = normalize(candidate.value);
    if (result.ok && chosen === null) {
      chosen = result.value;
      continue;
    }
    // Kept whatever it is: a second address is data, and an invalid one is still what the file said.
    attributes[candidate.key] = result.ok ? result.value : candidate.value;
    if (!result.ok && chosen === null) {
      invalid.push({ line: record.line, column: candidate.column, reason: `${field} ${result.reason}`, value: truncateValue(candidate.value) });
    }
  }
  return chosen;
}

/**
 * Validates and normalises one import record with the same rules as the contacts API (email
 * lower-cased and syntax-checked, phone to E.164 in the workspace region, IANA time zone,
 * real birthday). Only an unusable identity rejects a row: no valid email and no valid phone.
 * Any other invalid value (a birthday, time zone, locale, a too-long name, an email or phone
 * beside a valid one of the other kind) is left out and reported as a "warning: " line, and the
 * contact is imported; every problem is reported, not only the first. Reader errors (a ragged
 * CSV row, an over-long cell) still reject the row: its columns cannot be trusted.
 * `columnOf` names the file's column for a field (its header text) in the report.
 */
export function validateImportRecord(record: ImportRecord, options: ValidateImportOptions): ValidatedRecord {
  const { line, fields } = record;
  const problems: ImportRowProblem[] = record.errors.map((issue) => ({ line: issue.line, column: issue.column, reason: issue.reason, value: null }));
  const warnings: ImportRowProblem[] = record.warnings.map((issue) => ({
    line: issue.line,
    column: issue.column,
    reason: `${IMPORT_WARNING_PREFIX}${issue.reason}`,
    value: null,
  }));
  // Values left out: warnings when the contact is imported, plain problems when the row is rejected anyway.
  const leftOut: ImportRowProblem[] = [];
  const dropped = (column: string | null, reason: string, value: string | null) => leftOut.push({ line, column, reason, value: truncateValue(value) });

  const optional = <T>(field: ContactField, normalize: (value: string) => Normalized<T>): T | null => {
    const raw = fields[field];
    if (raw === undefined) return null;
    const result = normalize(raw);
    if (result.ok) return result.value;
    dropped(options.columnOf(field), `${field} ${result.reason}`, raw);
    return null;
  };

  // Identity: the email and phone, each from its column or from the first valid of several.
  const attributes: Record<string, string | readonly string[]> = record.candidates.length > 0 ? { ...record.attributes } : record.attributes;
  const invalidIdentity: ImportRowProblem[] = [];
  const identity = (field: MultiValueField, normalize: (value: string) => Normalized<string>): string | null => {
    const raw = fields[field];
    if (raw !== undefined) {
      const result = normalize(raw);
      if (result.ok) return result.value;
      invalidIdentity.push({ line, column: options.columnOf(field), reason: `${field} ${result.reason}`, value: truncateValue(raw) });
      return null;
    }
    return record.candidates.length > 0 ? pickCandidate(record, field, normalize, attributes, invalidIdentity) : null;
  };
  const email = identity("email", normalizeEmail);
  const phone = identity("phone", (value) => normalizePhone(value, options.defaultRegion));
  if (email === null && phone === null) {
    const unread = problems.length > 0; // the reader's reason (a shifted row, an unreadable card) says it already
    problems.push(...invalidIdentity);
    if (invalidIdentity.length === 0 && !unread) problems.push({ line, column: null, reason: "row has neither an email nor a phone", value: null });
  } else {
    leftOut.push(...invalidIdentity);
  }

  const birthday = optional("birthday", (value) => parseImportBirthday(value, options.dateOrder ?? "month-first", options.today));
  const { birthday: fullDate, birthdayMonth, birthdayDay } = birthdayColumns(birthday);
  let lists = NO_LISTS;
  if (record.tags.length > 0) {
    if (options.tags === "lists") lists = record.tags;
    else attributes.tags = record.tags;
  }
  const row: ValidContactRow = {
    line,
    email,
    phone,
    firstName: optional("first_name", personName),
    lastName: optional("last_name", personName),
    locale: optional("locale", normalizeLocale),
    timezone: optional("timezone", normalizeTimezone),
    birthday: fullDate,
    birthdayMonth,
    birthdayDay,
    attributes: fitAttributes(attributes, (key, reason) => dropped(key, reason, null)),
    lists,
  };
  if (problems.length > 0) return { ok: false, problems: [...problems, ...leftOut], warnings };
  for (const issue of leftOut) warnings.push({ ...issue, reason: `${IMPORT_WARNING_PREFIX}${issue.reason}; imported without it` });
  return { ok: true, row, warnings };
}

/**
 * An upper bound of the attributes' size as JSON, from string lengths alone: a UTF-16 unit takes
 * at most 6 bytes in JSON (an escape such as \u001f), plus quotes, colon and comma. Almost every
 * row is far below the limit by this bound, and skips serialising its attributes to measure them.
 */
function jsonBytesAtMost(attributes: Record<string, string | readonly string[]>, keys: readonly string[]): number {
  let bytes = 2;
  for (const key of keys) {
    const value = attributes[key]!;
    bytes += 6 * key.length + 4;
    if (typeof value === "string") bytes += 6 * value.length + 2;
    else for (const item of value) bytes += 6 * item.length + 3;
    bytes += 2;
  }
  return bytes;
}

/**
 * Attributes within the API's limits (ATTRIBUTES_MAX_KEYS keys, ATTRIBUTES_MAX_BYTES of JSON): the
 * first ones, in column order, are kept and each one that does not fit is reported. The common
 * case (within limits) returns the same object after one measurement.
 */
function fitAttributes(
  attributes: Record<string, string | readonly string[]>,
  drop: (key: string, reason: string) => void,
): Record<string, string | readonly string[]> {
  const keys = Object.keys(attributes);
  if (keys.length <= ATTRIBUTES_MAX_KEYS && jsonBytesAtMost(attributes, keys) <= ATTRIBUTES_MAX_BYTES) return attributes;
  if (keys.length <= ATTRIBUTES_MAX_KEYS && Buffer.byteLength(JSON.stringify(attributes)) <= ATTRIBUTES_MAX_BYTES) return attributes;
  const kept: Record<string, string | readonly string[]> = {};
  let bytes = 2; // "{}"
  let count = 0;
  for (const key of keys) {
    const value = attributes[key]!;
    const entryBytes = Buffer.byteLength(JSON.stringify(key)) + 1 + Buffer.byteLength(JSON.stringify(value)) + (count > 0 ? 1 : 0);
    if (count >= ATTRIBUTES_MAX_KEYS) {
      drop(key, `attribute ${key} is past the limit of ${ATTRIBUTES_MAX_KEYS} attributes`);
    } else if (bytes + entryBytes > ATTRIBUTES_MAX_BYTES) {
      drop(key, `attribute ${key} does not fit in the ${ATTRIBUTES_MAX_BYTES} bytes attributes may take`);
    } else {
      kept[key] = value;
      bytes += entryBytes;
      count++;
    }
  }
  return kept;
}

/**
 * De-duplicates valid rows inside one chunk: by email, then by phone. The first row wins; later
 * ones are skipped and reported with the line they repeat. (Repeats across chunks are caught by
 * the merge, which knows every contact the import already wrote.)
 */
export class InFileDeduper {
  private readonly byEmail = new Map<string, number>();
  private readonly byPhone = new Map<string, number>();

  /** Null when the row is new; otherwise the skip notice. */
  claim(row: ValidContactRow): ImportRowProblem | null {
    const emailLine = row.email === null ? undefined : this.byEmail.get(row.email);
    if (emailLine !== undefined) {
      return { line: row.line, column: null, reason: `skipped: duplicate of line ${emailLine} (same email)`, value: truncateValue(row.email) };
    }
    const phoneLine = row.phone === null ? undefined : this.byPhone.get(row.phone);
    if (phoneLine !== undefined) {
      return { line: row.line, column: null, reason: `skipped: duplicate of line ${phoneLine} (same phone)`, value: row.phone };
    }
    if (row.email !== null) this.byEmail.set(row.email, row.line);
    if (row.phone !== null) this.byPhone.set(row.phone, row.line);
    return null;
  }
}
