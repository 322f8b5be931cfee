import { REPLACEMENT_CHARACTER } from "@/core/text/storable-text";
import { ImportFileError } from "@/core/imports/import-file-error";
import { readZipEntry, type ZipEntry } from "./inspect-zip";

export interface WorkbookSheet {
  name: string;
  /** Zip path of the sheet part, e.g. "xl/worksheets/sheet1.xml". */
  path: string;
}

export interface WorkbookInfo {
  /** Mac-era workbooks count days from 1904-01-01 instead of 1900-01-00. */
  date1904: boolean;
  /** In workbook (tab) order; hidden sheets included. */
  sheets: WorkbookSheet[];
  /**
   * Cell formats (`<cellXfs>` entries) in xl/styles.xml: what exceljs must have loaded before
   * it reads a sheet, or date cells come out as bare serial numbers (see read-xlsx-rows.ts).
   */
  cellStyleCount?: number;
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    found.set(match[1]!, decodeXml(match[2] ?? match[3] ?? ""));
  }
  return found;
}

/**
 * A character reference that names no storable character (NUL, a surrogate, beyond U+10FFFF,
 * which String.fromCodePoint would throw on) reads as U+FFFD: a sheet name is shown in
 * messages and stored with the import, and must not fail either.
 */
function referencedCharacter(codePoint: number): string {
  const storable = codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return storable ? String.fromCodePoint(codePoint) : REPLACEMENT_CHARACTER;
}

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith("#x")) return referencedCharacter(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return referencedCharacter(parseInt(lower.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? "";
  });
}

/** The attribute whose local name is `local`, whatever namespace prefix the writer chose. */
function byLocalName(attrs: Map<string, string>, local: string): string | undefined {
  for (const [name, value] of attrs) if (name === local || name.endsWith(`:${local}`)) return value;
  return undefined;
}

function resolveTarget(target: string): string {
  const path = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

/**
 * Reads xl/workbook.xml and its rels directly from the zip. exceljs's streaming reader only
 * learns the date system and sheet names if those parts happen to precede the sheets in the
 * archive, and only accepts date1904="1" (not the equally valid "true"), so we do not rely on it.
 */
export async function readWorkbookInfo(filePath: string, entries: readonly ZipEntry[]): Promise<WorkbookInfo> {
  const find = (name: string) => entries.find((entry) => entry.name === name);
  const workbookEntry = find("xl/workbook.xml");
  const relsEntry = find("xl/_rels/workbook.xml.rels");
  if (!workbookEntry || !relsEntry) {
    throw new ImportFileError("malformed_xlsx", "The workbook is missing its sheet index (xl/workbook.xml or its relationships).");
  }
  const workbook = (await readZipEntry(filePath, workbookEntry)).toString("utf8");
  const rels = (await readZipEntry(filePath, relsEntry)).toString("utf8");

  const targets = new Map<string, string>();
  for (const match of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const attrs = attributes(match[1]!);
    const id = attrs.get("Id");
    const target = attrs.get("Target");
    if (id && target && attrs.get("TargetMode") !== "External") targets.set(id, resolveTarget(target));
  }

  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbook);
  const date1904Value = pr ? attributes(pr[1]!).get("date1904") : undefined;
  const date1904 = date1904Value === "1" || date1904Value === "true";

  const sheets: WorkbookSheet[] = [];
  for (const match of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const attrs = attributes(match[1]!);
    const name = attrs.get("name");
    const rid = byLocalName(attrs, "id");
    const path = rid === undefined ? undefined : targets.get(rid);
    if (name !== undefined && path) sheets.push({ name, path });
  }

  const stylesEntry = find("xl/styles.xml");
  const styles = stylesEntry ? (await readZipEntry(filePath, stylesEntry)).toString("utf8") : "";
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(styles)?.[1] ?? "";
  const cellStyleCount = [...cellXfs.matchAll(/<(?:\w+:)?xf\b/g)].length;
  return { date1904, sheets, cellStyleCount };
}
