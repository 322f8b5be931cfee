import { isStorableText, storableText } from "@/core/text/storable-text";
import type { ImportFileKind } from "./detect-file-kind";
import type { ImportCandidate, ImportRecord, RowIssue } from "@/core/imports/import-record";
import { IMPORT_MAX_CELL_CHARS } from "./limits";
import { CANDIDATE_RANK, MOBILE_WORDS, type MappedHeader, normalizeAttributeKey, NOT_MESSAGING_WORDS } from "@/core/imports/map-header";
import type { RawRow } from "./raw-row";
import { splitTags } from "./split-tags";

const NO_CANDIDATES: readonly ImportCandidate[] = [];
const NO_TAGS: readonly string[] = [];
/** Type labels that say nothing about the address (Outlook's "SMTP", vCard's "INTERNET"). */
const EMPTY_LABELS = new Set(["smtp", "ex", "internet", "x400", "voice", "pref"]);

export const UNSTORABLE_CELL_WARNING = "value held characters that cannot be stored (NUL, or half of a surrogate pair); each was replaced with \uFFFD";

function columnLabel(header: MappedHeader, index: number): string {
  const header_ = header.columns[index]?.header;
  return header_ ? header_ : `column ${index + 1}`;
}

type RankedCandidate = ImportCandidate & { rank: number; order: number };

/**
 * A row's value of an email or phone column, with its label cell if any: "* Work" marks
 * Google's primary, "Mobile" ranks a phone first, and the label names the attribute the value
 * is kept under if it is not the contact's ("phone_work"). A fax or pager number is never a
 * contact's phone: it goes straight to attributes.
 */
function addCandidates(
  ranked: RankedCandidate[],
  attributes: Record<string, string>,
  target: { field: "email" | "phone"; key: string; rank: number; split: boolean },
  value: string,
  labelCell: string,
  column: string,
): void {
  let { rank, key } = target;
  const label = labelCell.replace(/^\*\s*/, "");
  if (labelCell.startsWith("*")) rank = CANDIDATE_RANK.primary;
  const labelKey = label === "" || EMPTY_LABELS.has(label.toLowerCase()) ? null : normalizeAttributeKey(label);
  if (labelKey) {
    const words = labelKey.split("_");
    if (target.field === "phone" && words.some((word) => NOT_MESSAGING_WORDS.has(word))) {
      attributes[`${target.field}_${labelKey}`.slice(0, 64)] = value;
      return;
    }
    if (target.field === "phone" && rank > CANDIDATE_RANK.mobile && words.some((word) => MOBILE_WORDS.has(word))) rank = CANDIDATE_RANK.mobile;
    key = `${target.field}_${labelKey}`.slice(0, 64);
  }
  const values = target.split && value.includes(":::") ? value.split(":::") : [value];
  for (const [n, part] of values.entries()) {
    const text = part.trim();
    if (text === "") continue;
    ranked.push({ field: target.field, value: text, key: n === 0 ? key : `${key.slice(0, 60)}_${n + 1}`, column, rank, order: ranked.length });
  }
}

/** Candidates best first, each with an attribute key no other value of the row uses. */
function orderCandidates(ranked: RankedCandidate[], attributes: Record<string, string>): ImportCandidate[] {
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
  const used = new Set(Object.keys(attributes));
  return ranked.map(({ field, value, key, column }) => {
    let unique = key;
    for (let n = 2; used.has(unique); n++) unique = `${key.slice(0, 60)}_${n}`;
    used.add(unique);
    return { field, value, key: unique, column };
  });
}

/**
 * Applies the mapped header to one row; cell text comes out storable (see below). Ragged rows:
 * in a CSV a missing or extra non-empty cell means the columns may be shifted (an unquoted
 * delimiter), so the row is an error; in XLSX cells cannot shift and Excel omits trailing
 * empties, so only a value outside the header is noted.
 */
export function mapRow(
  row: RawRow,
  header: MappedHeader,
  kind: ImportFileKind,
  recordIndex: number,
): Omit<ImportRecord, "next"> {
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const width = header.columns.length;
  const { cells } = row;

  if (kind === "csv" && cells.length < width) {
    errors.push({ line: row.line, column: null, reason: `row has ${cells.length} cells but the header has ${width}` });
  }
  for (let index = width; index < cells.length; index++) {
    if (cells[index] === "") continue;
    if (kind === "csv") {
      errors.push({
        line: row.line,
        column: `column ${index + 1}`,
        reason: `row has ${cells.length} cells but the header has ${width}`,
      });
    } else {
      warnings.push({ line: row.line, column: `column ${index + 1}`, reason: "value outside the header columns; ignored" });
    }
    break;
  }

  const fields: ImportRecord["fields"] = {};
  const attributes: Record<string, string> = {};
  let ranked: RankedCandidate[] | null = null;
  let tags: string[] | null = null;
  for (const column of header.columns) {
    let value = cells[column.index];
    const { target } = column;
    if (value === undefined || value === "" || target.kind === "ignore" || target.kind === "label") continue;
    if (value.length > IMPORT_MAX_CELL_CHARS) {
      errors.push({
        line: row.line,
        column: columnLabel(header, column.index),
        reason: `value is ${value.length} characters; the limit is ${IMPORT_MAX_CELL_CHARS}`,
      });
      continue;
    }
    // Every reader's cells pass here, so this is where text becomes storable, once for all of
    // them: a NUL (UTF-8 after the sniffed sample, XLSX's _x0000_) or a lone surrogate (UTF-16,
    // XLSX's _xD83D_) would otherwise fail the whole chunk in PostgreSQL.
    if (!isStorableText(value)) {
      value = storableText(value);
      warnings.push({ line: row.line, column: columnLabel(header, column.index), reason: UNSTORABLE_CELL_WARNING });
    }
    switch (target.kind) {
      case "field":
        fields[target.field] = value;
        break;
      case "attribute":
        attributes[target.key] = value;
        break;
      case "candidate":
        addCandidates((ranked ??= []), attributes, target, value, target.label === null ? "" : (cells[target.label] ?? ""), column.header);
        break;
      case "labelled": {
        const label = normalizeAttributeKey(cells[target.label] ?? "");
        let key = label ? `${target.prefix}${label}`.slice(0, 64) : target.key;
        for (let n = 2; key in attributes; n++) key = `${(label ? `${target.prefix}${label}` : target.key).slice(0, 60)}_${n}`;
        attributes[key] = value;
        break;
      }
      case "tags":
        splitTags(value, (tags ??= []));
        break;
    }
  }
  for (const { columnIndex, reason } of row.cellWarnings) {
    warnings.push({ line: row.line, column: columnLabel(header, columnIndex), reason });
  }
  return {
    recordIndex,
    line: row.line,
    fields,
    candidates: ranked ? orderCandidates(ranked, attributes) : NO_CANDIDATES,
    attributes,
    tags: tags ?? NO_TAGS,
    errors,
    warnings,
  };
}
