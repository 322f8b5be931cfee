import { isStorableText } from "@/core/text/storable-text";
import { type ContactField, isContactField } from "@/core/imports/contact-fields";
import type { ImportRowProblem, ValidContactRow } from "@/core/imports/validate-import-record";

function isStorableJson(value: unknown): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (value === null || typeof value !== "object") return true;
  return Object.entries(value).every(([key, item]) => isStorableText(key) && isStorableJson(item));
}

export type UnstorableValue = { field: ContactField | string } | { attribute: string };

/** firstName → first_name: the row's keys are the contact fields, camel-cased. */
function fieldOf(key: string): ContactField | string {
  const snake = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return isContactField(snake) ? snake : key;
}

/**
 * The first value of a validated row that the database could not store, or null. The readers
 * already hand over storable text (see map-row.ts); this is the last look before staging, so
 * that a value some future path lets through costs its own row, never the whole chunk (the
 * merge is one transaction: one refused value would fail every row in it). Every text value of
 * the row is looked at, whatever fields it has.
 */
export function unstorableValue(row: ValidContactRow): UnstorableValue | null {
  for (const [key, value] of Object.entries(row)) {
    if (key === "attributes") continue;
    if (typeof value === "string" && !isStorableText(value)) return { field: fieldOf(key) };
  }
  for (const [attribute, value] of Object.entries(row.attributes)) {
    if (!isStorableText(attribute) || !isStorableJson(value)) return { attribute };
  }
  return null;
}

/** The report line of a row `unstorableValue` refuses; its value is not echoed (it cannot be stored either). */
export function unstorableRowProblem(row: ValidContactRow, columnOf: (field: ContactField) => string): ImportRowProblem | null {
  const found = unstorableValue(row);
  if (!found) return null;
  const column = "attribute" in found ? found.attribute : isContactField(found.field) ? columnOf(found.field) : found.field;
  return { line: row.line, column, reason: "value holds characters that cannot be stored (NUL, or half of a surrogate pair); row not imported", value: null };
}
