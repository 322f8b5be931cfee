import { ATTRIBUTES_MAX_BYTES, ATTRIBUTES_MAX_KEYS, NAME_MAX_LENGTH } from "@/lib/contacts/contact-input";
import { normalizeBirthday } from "@/lib/contacts/normalize-birthday";
import { normalizeEmail } from "@/lib/contacts/normalize-email";
import { normalizeLocale } from "@/lib/contacts/normalize-locale";
import { normalizePhone } from "@/lib/contacts/normalize-phone";
import { normalizeTimezone } from "@/lib/contacts/normalize-timezone";
import type { Normalized } from "@/lib/contacts/normalized";
import { accept, reject } from "@/lib/contacts/normalized";
import { cutText } from "@/lib/text/cut-text";
import type { ContactField } from "./contact-fields";
import type { ImportRecord } from "./import-record";

/** Offending values in the error report are cut to this, so a 10,000-character cell stays a short line. */
export const IMPORT_ERROR_VALUE_MAX_CHARS = 200;

/** One line of the error report. `reason` of a skipped row or a warning starts with "skipped: " / "warning: ". */
export interface ImportRowProblem {
  line: number;
  column: string | null;
  reason: string;
  value: string | null;
}

/** A row ready for the merge: normalised values, null where the file had nothing. */
export interface ValidContactRow {
  line: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  timezone: string | null;
  birthday: string | null;
  attributes: Record<string, string>;
}

export type ValidatedRecord =
  | { ok: true; row: ValidContactRow; warnings: ImportRowProblem[] }
  | { ok: false; problems: ImportRowProblem[]; warnings: ImportRowProblem[] };

function personName(value: string): Normalized<string> {
  return value.length > NAME_MAX_LENGTH ? reject(`is longer than ${NAME_MAX_LENGTH} characters`) : accept(value);
}

/** A report value cut to IMPORT_ERROR_VALUE_MAX_CHARS, never inside a character (see cutText). */
export function truncateValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return cutText(value, IMPORT_ERROR_VALUE_MAX_CHARS);
}

/**
 * Validates and normalises one import record with the same rules as the contacts API (email
 * lower-cased and syntax-checked, phone to E.164 in the workspace region, IANA time zone,
 * ISO birthday). A row with any invalid value is rejected whole — importing it without the bad
 * field would silently lose data — and every problem is reported, not only the first.
 * `columnOf` names the file's column for a field (its header text) in the report.
 */
export function validateImportRecord(
  record: ImportRecord,
  options: { defaultRegion: string | null; columnOf: (field: ContactField) => string; today?: Date },
): ValidatedRecord {
  const { line, fields } = record;
  const problems: ImportRowProblem[] = record.errors.map((issue) => ({ line: issue.line, column: issue.column, reason: issue.reason, value: null }));
  const warnings: ImportRowProblem[] = record.warnings.map((issue) => ({
    line: issue.line,
    column: issue.column,
    reason: `warning: ${issue.reason}`,
    value: null,
  }));

  const check = (field: ContactField, normalize: (value: string) => Normalized<string>): string | null => {
    const raw = fields[field];
    if (raw === undefined) return null;
    const result = normalize(raw);
    if (result.ok) return result.value;
    problems.push({ line, column: options.columnOf(field), reason: `${field} ${result.reason}`, value: truncateValue(raw) });
    return null;
  };
  const row: ValidContactRow = {
    line,
    email: check("email", normalizeEmail),
    phone: check("phone", (value) => normalizePhone(value, options.defaultRegion)),
    firstName: check("first_name", personName),
    lastName: check("last_name", personName),
    locale: check("locale", normalizeLocale),
    timezone: check("timezone", normalizeTimezone),
    birthday: check("birthday", (value) => normalizeBirthday(value, options.today)),
    attributes: record.attributes,
  };

  const attributeCount = Object.keys(record.attributes).length;
  if (attributeCount > ATTRIBUTES_MAX_KEYS) {
    problems.push({ line, column: null, reason: `row has ${attributeCount} attribute columns; the limit is ${ATTRIBUTES_MAX_KEYS}`, value: null });
  } else if (Buffer.byteLength(JSON.stringify(record.attributes)) > ATTRIBUTES_MAX_BYTES) {
    problems.push({ line, column: null, reason: `attributes are larger than ${ATTRIBUTES_MAX_BYTES} bytes of JSON`, value: null });
  }
  if (problems.length === 0 && fields.email === undefined && fields.phone === undefined) {
    problems.push({ line, column: null, reason: "row has neither an email nor a phone", value: null });
  }
  return problems.length > 0 ? { ok: false, problems, warnings } : { ok: true, row, warnings };
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
