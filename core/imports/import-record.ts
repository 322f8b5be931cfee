import type { ContactField } from "./contact-fields";

/** One problem in one row. `line` is the physical line (CSV) or sheet row number (XLSX). */
export interface RowIssue {
  line: number;
  /** The column's header text, or `column N` (1-based) for cells outside the header; null = whole row. */
  column: string | null;
  reason: string;
}

/** A file-level note the user should see (ignored columns, duplicate headers, …). */
export interface ImportWarning {
  code: string;
  message: string;
  column?: string;
}

/**
 * Where to continue reading. Small and JSON-safe: persist it between Inngest steps instead of
 * rows. `recordIndex` alone is always enough (earlier records are re-parsed and skipped);
 * `byteOffset` (CSV only) lets the next chunk seek straight to the record.
 */
export interface ImportCursor {
  /** Index of the next data record (0 = first row after the header). */
  recordIndex: number;
  /** Physical line (CSV) / sheet row (XLSX) where the next record starts. */
  line: number;
  /** CSV: byte offset in the file where the next record starts; XLSX: null. */
  byteOffset: number | null;
}

export type ImportFields = Partial<Record<ContactField, string>>;

/** Fields a file may hold several values of (Outlook's three e-mail columns, Google's "Phone 2 - Value", vCard TEL lines). */
export type MultiValueField = "email" | "phone";

/** One of several values for an email or phone. */
export interface ImportCandidate {
  field: MultiValueField;
  value: string;
  /** Attribute key the value is kept under when another value becomes the contact's (e.g. `email_2`, `phone_home`). */
  key: string;
  /** The column (header text) or vCard property it came from, for the report. */
  column: string;
}

export interface ImportRecord {
  /** 0-based among data records: header and blank rows are not counted. Stable across reads. */
  recordIndex: number;
  line: number;
  /** Raw trimmed text of mapped columns; empty cells are omitted. Values are NOT validated. */
  fields: ImportFields;
  /**
   * Values for email/phone when the file has several per contact, best first (marked primary,
   * then mobile for phones, then file order); the validator takes the first valid one and keeps
   * the rest as attributes. Empty for files with one column per field (their value is in `fields`).
   */
  candidates: readonly ImportCandidate[];
  /** Unknown columns, under their normalised keys; empty cells omitted. */
  attributes: Record<string, string>;
  /** Tags, labels, groups or categories, de-duplicated, in file order. */
  tags: readonly string[];
  /** Non-empty = the row is unusable as read (ragged, over-long cell); the importer rejects it. */
  errors: RowIssue[];
  /** The row is usable but something was lost (formula without cached value, #N/A, …). */
  warnings: RowIssue[];
  /** Cursor just after this record: persist the last one of a chunk to resume there. */
  next: ImportCursor;
}
