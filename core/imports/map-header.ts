import {
  CONTACT_FIELD_SYNONYMS,
  CONTACT_FIELDS,
  isContactField,
  RESERVED_COMPACT_HEADERS,
  RESERVED_HEADER_PATTERN,
  TAG_COMPACT_HEADERS,
  WELL_KNOWN_ATTRIBUTE_KEYS,
  type ContactField,
} from "./contact-fields";
import { ImportFileError } from "./import-file-error";
import type { ImportWarning, MultiValueField } from "./import-record";

/** User override, keyed by header text (exact first, then compact form): it always wins. */
export type MappingOverride = Record<string, ContactField | `attribute:${string}` | "ignore">;

/** Order of preference among several emails or phones of a row: lower first, then left to right. */
export const CANDIDATE_RANK = { primary: 0, mobile: 1, other: 2, shared: 3 } as const;

export type ColumnTarget =
  | { kind: "field"; field: ContactField }
  | { kind: "attribute"; key: string }
  /**
   * One of several columns for an email or phone. `key` names the attribute the value is kept
   * under when another column's value becomes the contact's; `label` is the column whose cell
   * names this one's kind per row (Google "Phone 1 - Label", Outlook "E-mail Type"); `split`
   * marks Google's cells that hold several values joined by " ::: ".
   */
  | { kind: "candidate"; field: MultiValueField; key: string; rank: number; label: number | null; split: boolean }
  /** A value whose attribute key comes from its label cell per row (Google "Custom Field 1 - Label"/"- Value"). */
  | { kind: "labelled"; prefix: string; key: string; label: number }
  | { kind: "tags" }
  /** Read as the label of column `of`. */
  | { kind: "label"; of: number }
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

// Words of email and phone headers, as headerWords splits them. ("Mail" alone is a synonym.)
const EMAIL_WORDS = new Set(["email", "courriel", "correo", "emailaddress"]);
const PHONE_WORDS = new Set(["phone", "telephone", "tel", "telefon", "telefono", "telefonnummer", "fon"]);
/** Phone words that also say the number takes texts: these rank before other phones. */
export const MOBILE_WORDS = new Set(["mobile", "mobil", "cell", "cellphone", "cellular", "iphone", "handy", "portable", "sms", "msisdn", "whatsapp", "gsm"]);
const PHONE_KIND_WORDS = new Set([...MOBILE_WORDS, "landline"]);
/** Numbers that are not for messages: kept as attributes, never a contact's phone. */
export const NOT_MESSAGING_WORDS = new Set(["fax", "pager", "telex", "tty", "tdd", "isdn"]);
/** Someone else's number (Outlook "Assistant's Phone", "Company Main Phone"): a contact's phone only when nothing else is. */
const SHARED_WORDS = new Set(["assistant", "company", "manager", "spouse", "callback", "reception"]);
const PRIMARY_WORDS = new Set(["primary", "pref", "preferred"]);
// Words that add nothing to a column's meaning.
const FILLER_WORDS = new Set(["number", "no", "nr", "num", "address", "addr", "value", "id"]);
// Headers with these describe an address or number (Outlook "E-mail Display Name", "Phone Extension"): not one.
const DESCRIPTIVE_WORDS = new Set(["name", "display", "status", "verified", "domain", "service", "extension", "ext", "country", "code", "prefix"]);
const LABEL_WORDS = new Set(["type", "label"]);
/** Words that say whose or which number or address it is. */
const KNOWN_QUALIFIERS = new Set([
  "home", "work", "business", "personal", "private", "office", "other", "primary", "pref", "preferred", "secondary", "alternate", "alt",
  "main", "direct", "contact", "company", "assistant", "car", "radio", "callback", "manager", "spouse", "reception", "iphone",
]);

/** "E-mail 2 Address" → ["email", "2", "address"]; "MobilePhone" → ["mobile", "phone"]. */
function headerWords(header: string): string[] {
  return stripAccents(header)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/\be[\s-]?mail/g, "email")
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

type IdentityColumn = { field: MultiValueField; ordinal: number | null; qualifiers: string[]; role: "value" | "label"; split: boolean };

/**
 * Recognises a column of emails or phones by its words rather than a fixed list, so numbered and
 * qualified columns of any tool are found: "E-mail 2 Address", "Phone 1 - Value", "Home Phone 2",
 * "Mobile Phone Number", "WHATSAPP", and their label columns ("E-mail Type", "Phone 1 - Label").
 */
function identityColumn(header: string): IdentityColumn | null {
  const words = headerWords(header);
  const isEmail = words.some((word) => EMAIL_WORDS.has(word));
  const isPhone = !isEmail && words.some((word) => PHONE_WORDS.has(word) || PHONE_KIND_WORDS.has(word));
  if (!isEmail && !isPhone) return null;
  if (words.some((word) => NOT_MESSAGING_WORDS.has(word) || DESCRIPTIVE_WORDS.has(word))) return null;
  const role = words.some((word) => LABEL_WORDS.has(word)) ? "label" : "value";
  let ordinal: number | null = null;
  const qualifiers: string[] = [];
  for (const word of words) {
    if (/^\d+$/.test(word)) ordinal ??= Number(word);
    else if (!EMAIL_WORDS.has(word) && !PHONE_WORDS.has(word) && !FILLER_WORDS.has(word) && !LABEL_WORDS.has(word)) qualifiers.push(word);
  }
  // Anything else in the header (e.g. "Email Opt Source") is not an address; a header whose only
  // phone word is a kind ("Mobile App Version") must be about a number to be one.
  if (qualifiers.length > 3) return null;
  const onlyKind = isPhone && !words.some((word) => PHONE_WORDS.has(word));
  if (onlyKind && !qualifiers.every((word) => PHONE_KIND_WORDS.has(word) || KNOWN_QUALIFIERS.has(word))) return null;
  return { field: isEmail ? "email" : "phone", ordinal, qualifiers, role, split: /\d\s*-\s*value$/i.test(header.trim()) };
}

/** Google's "Website 1 - Value" / "Custom Field 1 - Label": groups of columns numbered per kind. */
const NUMBERED_GROUP = /^(.+?)\s+(\d+)\s*-\s*(.+)$/;

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

/** What a column is before columns of the same field are resolved together. */
type Draft =
  | { kind: "done"; target: ColumnTarget }
  | { kind: "identity"; column: IdentityColumn }
  | { kind: "field"; field: ContactField }
  | { kind: "group-value"; base: string; ordinal: number }
  | { kind: "group-label"; base: string; ordinal: number }
  | { kind: "attribute"; base: string };

/**
 * Maps header cells to contact fields. Order of precedence per column: explicit override; empty
 * header → ignored; reserved (system or consent/suppression columns) → ignored; tags columns;
 * emails and phones, recognised by their words; synonym of a field not yet taken → that field;
 * otherwise an attribute under the normalised header (a few common ones under one key: company,
 * job_title, notes).
 *
 * Several columns of emails (or phones) are all read: per row, the first valid value in order of
 * preference (marked primary, then mobile for phones, then left to right) becomes the contact's,
 * and the others are kept as attributes (`email_2`, `phone_home`, or named after the row's
 * label: `phone_work`). A second column for any other field or attribute key is kept as
 * attribute `<key>_2`, `_3`, … with a warning, so no data silently disappears. Deterministic:
 * every chunk re-derives the same map.
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
  const trimmed = headers.map((raw) => raw.trim());

  // Pass 1: overrides claim their fields and keys first, wherever their columns sit.
  const drafts = trimmed.map((header): Draft | null => {
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
    return { kind: "done", target };
  });

  // Pass 2: what each remaining column is, on its own.
  for (const [index, header] of trimmed.entries()) {
    if (drafts[index]) continue;
    drafts[index] = classify(header, index, warnings);
  }

  // Pass 3: columns read together — email and phone columns, numbered groups and their labels.
  const identity = new Map<MultiValueField, number[]>([["email", []], ["phone", []]]);
  const labels = new Map<string, number>();
  const groupValues = new Map<string, number>();
  for (const [index, draft] of drafts.entries()) {
    if (draft?.kind === "identity") {
      const { column } = draft;
      if (column.role === "label") labels.set(`${column.field}:${column.ordinal ?? 1}:${column.qualifiers.join(" ")}`, index);
      else identity.get(column.field)!.push(index);
    }
    if (draft?.kind === "group-label") labels.set(`group:${draft.base}:${draft.ordinal}`, index);
    if (draft?.kind === "group-value") groupValues.set(`group:${draft.base}:${draft.ordinal}`, index);
  }

  const targets = new Map<number, ColumnTarget>();
  for (const [field, indexes] of identity) {
    const labelOf = (index: number) => {
      const { column } = drafts[index] as { column: IdentityColumn };
      return labels.get(`${field}:${column.ordinal ?? 1}:${column.qualifiers.join(" ")}`) ?? null;
    };
    const single = indexes.length === 1 && labelOf(indexes[0]!) === null && !(drafts[indexes[0]!] as { column: IdentityColumn }).column.split;
    if (indexes.length === 0) continue;
    if (takenFields.has(field) || single) {
      // One plain column (the common case), or the user mapped another column to the field.
      for (const index of indexes) {
        if (!takenFields.has(field)) {
          takenFields.add(field);
          targets.set(index, { kind: "field", field });
        } else {
          targets.set(index, { kind: "attribute", key: uniqueKey(identityKey(field, drafts[index] as { column: IdentityColumn }, 1)) });
        }
      }
      continue;
    }
    takenFields.add(field);
    const keys: string[] = [];
    for (const [position, index] of indexes.entries()) {
      const { column } = drafts[index] as { column: IdentityColumn };
      const key = uniqueKey(identityKey(field, { column }, position + 1));
      keys.push(key);
      const rank = column.qualifiers.some((word) => PRIMARY_WORDS.has(word))
        ? CANDIDATE_RANK.primary
        : column.qualifiers.some((word) => SHARED_WORDS.has(word))
          ? CANDIDATE_RANK.shared
          : field === "phone" && column.qualifiers.some((word) => MOBILE_WORDS.has(word))
            ? CANDIDATE_RANK.mobile
            : CANDIDATE_RANK.other;
      const label = labelOf(index);
      targets.set(index, { kind: "candidate", field, key, rank, label, split: column.split });
      if (label !== null) targets.set(label, { kind: "label", of: index });
    }
    if (indexes.length > 1) {
      // Where a row labels a value (Google's "E-mail 1 - Label": "Home"), map-row.ts names the
      // attribute after the label instead (email_home), so the message cannot list final names.
      const labelled = indexes.some((index) => labelOf(index) !== null);
      const kept = labelled
        ? `named after the row's label where it has one (${field}_home, ${field}_work…), else ${keys.join(", ")}`
        : keys.join(", ");
      warnings.push({
        code: "multi_value_columns",
        column: trimmed[indexes[0]!],
        message: `Columns ${indexes.map((index) => `"${trimmed[index]}"`).join(", ")} all hold ${field === "email" ? "emails" : "phone numbers"}: each row's first valid one (${field === "phone" ? "primary, then mobile, then " : "primary, then "}left to right) is the contact's ${field}; the others are kept as attributes (${kept}).`,
      });
    }
  }
  for (const [key, valueIndex] of groupValues) {
    const labelIndex = labels.get(key);
    if (labelIndex === undefined) continue;
    const draft = drafts[valueIndex] as { base: string; ordinal: number };
    const base = normalizeAttributeKey(draft.base) ?? "value";
    // Google's custom fields are named by their label alone: "Custom Field 1 - Label" = "Shoe size".
    const prefix = base === "custom_field" ? "" : `${base}_`;
    targets.set(valueIndex, { kind: "labelled", prefix, key: uniqueKey(`${base}_${draft.ordinal}`), label: labelIndex });
    targets.set(labelIndex, { kind: "label", of: valueIndex });
  }

  const columns = drafts.map((draft, index): MappedColumn => {
    const header = trimmed[index]!;
    const resolved = targets.get(index);
    if (resolved) return { index, header, target: resolved };
    if (draft?.kind === "done") return { index, header, target: draft.target };
    if (draft?.kind === "field" && !takenFields.has(draft.field)) {
      takenFields.add(draft.field);
      return { index, header, target: { kind: "field", field: draft.field } };
    }
    // Everything left is an attribute: unknown columns, repeats of a field, labels without values.
    const fallback = normalizeAttributeKey(header) ?? `column_${index + 1}`;
    const base = draft?.kind === "attribute" ? draft.base : draft?.kind === "identity" ? identityKey(draft.column.field, draft, 1, fallback) : fallback;
    const key = uniqueKey(base);
    if (draft?.kind === "field" || key !== base) {
      warnings.push({
        code: "duplicate_column",
        column: header,
        message:
          draft?.kind === "field"
            ? `Column "${header}" also maps to ${draft.field}, which an earlier column fills; it is kept as attribute "${key}".`
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

/** One column on its own: ignored, tags, an email/phone column, a field synonym, a numbered group's part, or an attribute. */
function classify(header: string, index: number, warnings: ImportWarning[]): Draft {
  if (header === "") {
    warnings.push({ code: "empty_header", column: `column ${index + 1}`, message: `Column ${index + 1} has no header and is ignored.` });
    return { kind: "done", target: { kind: "ignore", reason: "empty_header" } };
  }
  if (isReservedHeader(header)) {
    warnings.push({
      code: "reserved_column",
      column: header,
      message: `Column "${header}" is ignored: imports never set system, consent or suppression fields.`,
    });
    return { kind: "done", target: { kind: "ignore", reason: "reserved" } };
  }
  const compact = compactHeader(header);
  if (TAG_COMPACT_HEADERS.has(compact)) return { kind: "done", target: { kind: "tags" } };
  const field = FIELD_BY_SYNONYM.get(compact);
  if (field && field !== "email" && field !== "phone") return { kind: "field", field };
  const identity = identityColumn(header);
  if (identity) return { kind: "identity", column: identity };
  if (field) return { kind: "identity", column: { field: field as MultiValueField, ordinal: null, qualifiers: [], role: "value", split: false } };
  const group = NUMBERED_GROUP.exec(header);
  if (group) {
    const part = compactHeader(group[3]!);
    if (part === "value") return { kind: "group-value", base: group[1]!, ordinal: Number(group[2]) };
    if (part === "label" || part === "type") return { kind: "group-label", base: group[1]!, ordinal: Number(group[2]) };
  }
  return { kind: "attribute", base: WELL_KNOWN_ATTRIBUTE_KEYS[compact] ?? normalizeAttributeKey(header) ?? `column_${index + 1}` };
}

/** Attribute key of an email/phone column kept as an attribute: `phone_home_2`, `email_2`, `phone_<position>`. */
function identityKey(field: MultiValueField, draft: { column: IdentityColumn }, position: number, fallback?: string): string {
  const { ordinal, qualifiers, role } = draft.column;
  if (role === "label") return fallback ?? `${field}_${ordinal ?? 1}_label`;
  const parts = [field, ...qualifiers];
  if (ordinal !== null) parts.push(String(ordinal));
  else if (qualifiers.length === 0) parts.push(String(position));
  return normalizeAttributeKey(parts.join("_")) ?? `${field}_${position}`;
}
