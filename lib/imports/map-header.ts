import {
  CONTACT_FIELD_SYNONYMS,
  CONTACT_FIELDS,
  isContactField,
  RESERVED_COMPACT_HEADERS,
  RESERVED_HEADER_PATTERN,
  type ContactField,
} from "./contact-fields";
import { ImportFileError } from "./import-file-error";
import type { ImportWarning } from "./import-record";

/** User override, keyed by header text (exact first, then compact form): it always wins. */
export type MappingOverride = Record<string, ContactField | `attribute:${string}` | "ignore">;

export type ColumnTarget =
  | { kind: "field"; field: ContactField }
  | { kind: "attribute"; key: string }
  | { kind: "ignore"; reason: "override" | "reserved" | "empty_header" | "duplicate" };

export interface MappedColumn {
  /** 0-based position in the row. */
  index: number;
  /** Header text as in the file (trimmed). */
  header: string;
  target: ColumnTarget;
}

export interface MappedHeader {
  columns: MappedColumn[];
  warnings: ImportWarning[];
}

/** Same rule as contact attribute keys elsewhere: identifier-like, ≤ 64 chars. */
export const IMPORT_ATTRIBUTE_KEY_PATTERN = /^[a-z_][a-z0-9_]{0,63}$/;

function stripAccents(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "");
}

/** "E-mail Address" → "emailaddress": the form synonyms are matched on. */
export function compactHeader(header: string): string {
  return stripAccents(header).toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** "Favourite Colour (2nd)" → "favourite_colour_2nd"; null when nothing usable remains. */
export function normalizeAttributeKey(header: string): string | null {
  let key = stripAccents(header).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (key === "") return null;
  if (/^[0-9]/.test(key)) key = `_${key}`;
  return key.slice(0, 64).replace(/_+$/, "");
}

const FIELD_BY_SYNONYM = new Map<string, ContactField>(
  CONTACT_FIELDS.flatMap((field) => CONTACT_FIELD_SYNONYMS[field].map((synonym) => [synonym, field] as const)),
);

export function isReservedHeader(header: string): boolean {
  const compact = compactHeader(header);
  return RESERVED_COMPACT_HEADERS.has(compact) || RESERVED_HEADER_PATTERN.test(compact);
}

function parseOverrideTarget(header: string, value: string): ColumnTarget {
  if (value === "ignore") return { kind: "ignore", reason: "override" };
  if (isContactField(value)) return { kind: "field", field: value };
  if (value.startsWith("attribute:")) {
    const key = value.slice("attribute:".length);
    if (!IMPORT_ATTRIBUTE_KEY_PATTERN.test(key)) {
      throw new ImportFileError(
        "invalid_mapping",
        `Mapping for "${header}": attribute key "${key}" must be lower-case letters, digits and underscores (at most 64).`,
      );
    }
    if (isReservedHeader(key)) {
      throw new ImportFileError("invalid_mapping", `Mapping for "${header}": "${key}" is reserved and cannot be imported.`);
    }
    return { kind: "attribute", key };
  }
  throw new ImportFileError(
    "invalid_mapping",
    `Mapping for "${header}": "${value}" is not one of ${CONTACT_FIELDS.join(", ")}, "attribute:<key>" or "ignore".`,
  );
}

/**
 * Maps header cells to contact fields. Order of precedence per column: explicit override;
 * empty header → ignored; reserved (system or consent/suppression columns) → ignored; synonym of
 * a field not yet taken → that field; otherwise an attribute under the normalised header. A
 * second column for the same field or attribute key is kept as attribute `<key>_2`, `_3`, … with
 * a warning, so no data silently disappears. Deterministic: every chunk re-derives the same map.
 */
export function mapHeader(headers: readonly string[], override: MappingOverride = {}): MappedHeader {
  const warnings: ImportWarning[] = [];
  const overrideByCompact = new Map<string, [string, string]>();
  for (const [header, target] of Object.entries(override)) overrideByCompact.set(compactHeader(header), [header, target]);
  const usedOverrides = new Set<string>();

  const takenFields = new Set<ContactField>();
  const takenKeys = new Set<string>();
  const uniqueKey = (base: string): string => {
    let key = base;
    for (let n = 2; takenKeys.has(key); n++) key = `${base.slice(0, 60)}_${n}`;
    takenKeys.add(key);
    return key;
  };

  // Pass 1: overrides claim their fields and keys first, wherever their columns sit.
  const explicitTargets = headers.map((raw): ColumnTarget | null => {
    const header = raw.trim();
    if (header === "") return null;
    const explicit: [string, string] | undefined = Object.hasOwn(override, header)
      ? [header, override[header]!]
      : overrideByCompact.get(compactHeader(header));
    if (!explicit) return null;
    usedOverrides.add(explicit[0]);
    const target = parseOverrideTarget(header, explicit[1]);
    if (target.kind === "field") {
      if (takenFields.has(target.field)) {
        throw new ImportFileError("invalid_mapping", `The mapping sends more than one column to "${target.field}".`);
      }
      takenFields.add(target.field);
    }
    if (target.kind === "attribute") {
      if (takenKeys.has(target.key)) {
        throw new ImportFileError("invalid_mapping", `The mapping sends more than one column to attribute "${target.key}".`);
      }
      takenKeys.add(target.key);
    }
    return target;
  });

  // Pass 2: everything else, left to right.
  const columns = headers.map((raw, index): MappedColumn => {
    const header = raw.trim();
    const explicit = explicitTargets[index];
    if (explicit) return { index, header, target: explicit };
    const label = header === "" ? `column ${index + 1}` : header;
    if (header === "") {
      warnings.push({ code: "empty_header", column: label, message: `Column ${index + 1} has no header and is ignored.` });
      return { index, header, target: { kind: "ignore", reason: "empty_header" } };
    }
    if (isReservedHeader(header)) {
      warnings.push({
        code: "reserved_column",
        column: header,
        message: `Column "${header}" is ignored: imports never set system, consent or suppression fields.`,
      });
      return { index, header, target: { kind: "ignore", reason: "reserved" } };
    }
    const field = FIELD_BY_SYNONYM.get(compactHeader(header));
    if (field && !takenFields.has(field)) {
      takenFields.add(field);
      return { index, header, target: { kind: "field", field } };
    }
    const base = normalizeAttributeKey(header) ?? `column_${index + 1}`;
    const key = uniqueKey(base);
    if (field || key !== base) {
      warnings.push({
        code: "duplicate_column",
        column: header,
        message: field
          ? `Column "${header}" also maps to ${field}, which an earlier column fills; it is kept as attribute "${key}".`
          : `Column "${header}" repeats an earlier column name; it is kept as attribute "${key}".`,
      });
    }
    return { index, header, target: { kind: "attribute", key } };
  });

  for (const header of Object.keys(override)) {
    if (!usedOverrides.has(header)) {
      warnings.push({ code: "unused_mapping", column: header, message: `The mapping names column "${header}", which is not in the file.` });
    }
  }
  return { columns, warnings };
}
