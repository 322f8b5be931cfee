import { CONTACT_FIELD_SYNONYMS, CONTACT_FIELDS, type ContactField, TAG_COMPACT_HEADERS, WELL_KNOWN_ATTRIBUTE_KEYS } from "@/core/imports/contact-fields";
import { IMPORT_ATTRIBUTE_KEY_PATTERN } from "@/core/imports/map-header";

export type ImportColumnRow = {
  /** What a column becomes: a contact field, an attribute, tags. */
  target: string;
  /** The value that sends a column there in `mapping`. */
  mappingValue: string;
  /** Headers recognised without a mapping, in compact form (see compactHeader). */
  headers: readonly string[];
};

/** The contact fields an import fills, what `mapping` calls them and which headers find them. */
export function contactFieldColumnRows(): ImportColumnRow[] {
  return CONTACT_FIELDS.map((field: ContactField) => ({ target: field, mappingValue: field, headers: CONTACT_FIELD_SYNONYMS[field] }));
}

/** Columns kept under one attribute key whichever tool named them (`company`, `job_title`). */
export function wellKnownAttributeRows(): ImportColumnRow[] {
  const byKey = new Map<string, string[]>();
  for (const [header, key] of Object.entries(WELL_KNOWN_ATTRIBUTE_KEYS)) byKey.set(key, [...(byKey.get(key) ?? []), header]);
  return [...byKey].map(([key, headers]) => ({ target: `attribute \`${key}\``, mappingValue: `attribute:${key}`, headers }));
}

/** Tag, label, group and category columns: their values become the contact's tags (or lists, with `tagsAs=lists`). */
export function tagColumnHeaders(): readonly string[] {
  return [...TAG_COMPACT_HEADERS];
}

/** The mapping values beyond the contact fields. */
export const OTHER_MAPPING_VALUES = [
  { value: "attribute:<key>", meaning: `a custom attribute; the key matches \`${IMPORT_ATTRIBUTE_KEY_PATTERN.source}\`` },
  { value: "ignore", meaning: "the column is not imported" },
] as const;
