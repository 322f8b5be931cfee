/**
 * A contact's own fields, written once: the name the API, segments and drizzle use (`key`), the
 * column name that imports, staging tables and templates use (`column`), and the kind of value
 * it holds. Import header matching, segment filters, contact writes and the import stage all
 * take their field lists from here, so a new field is added in one place.
 */
export const CONTACT_FIELD_SPECS = [
  { key: "email", column: "email", kind: "text" },
  { key: "phone", column: "phone", kind: "text" },
  { key: "firstName", column: "first_name", kind: "text" },
  { key: "lastName", column: "last_name", kind: "text" },
  { key: "locale", column: "locale", kind: "text" },
  { key: "timezone", column: "timezone", kind: "text" },
  { key: "birthday", column: "birthday", kind: "date" },
] as const;

type ContactFieldSpec = (typeof CONTACT_FIELD_SPECS)[number];

/** `firstName`, `birthday`, …: the field as the API and the schema name it. */
export type ContactFieldKey = ContactFieldSpec["key"];

/** `first_name`, `birthday`, …: the field as its column (and an import mapping) names it. */
export type ContactFieldColumn = ContactFieldSpec["column"];

/** The fields holding plain text (a birthday is a date written as three columns). */
export type ContactTextFieldKey = Extract<ContactFieldSpec, { kind: "text" }>["key"];

/** Each field's kind, by key: `{ email: "text", …, birthday: "date" }`. */
export type ContactFieldKinds = { [Spec in ContactFieldSpec as Spec["key"]]: Spec["kind"] };

export const CONTACT_FIELD_KINDS = Object.fromEntries(CONTACT_FIELD_SPECS.map((spec) => [spec.key, spec.kind])) as ContactFieldKinds;

export const CONTACT_FIELD_COLUMNS = CONTACT_FIELD_SPECS.map((spec) => spec.column) as [ContactFieldColumn, ...ContactFieldColumn[]];

export const CONTACT_TEXT_FIELD_KEYS = CONTACT_FIELD_SPECS.flatMap((spec) => (spec.kind === "text" ? [spec.key] : [])) as readonly ContactTextFieldKey[];

export const CONTACT_TEXT_FIELD_COLUMNS = CONTACT_FIELD_SPECS.flatMap((spec) => (spec.kind === "text" ? [spec.column] : []));
