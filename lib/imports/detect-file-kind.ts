import { open, stat } from "node:fs/promises";
import { ImportFileError } from "@/core/imports/import-file-error";
import { inspectZip, type ZipEntry } from "./inspect-zip";
import { IMPORT_MAX_FILE_BYTES } from "./limits";

export type ImportFileKind = "csv" | "xlsx" | "vcard";

export interface DetectedFile {
  kind: ImportFileKind;
  fileBytes: number;
  /** XLSX only: the central directory, already checked against the zip caps. */
  zipEntries: ZipEntry[] | null;
}

const HEAD_BYTES = 16;

interface Signature {
  bytes: number[];
  at?: number;
  reason: string;
}

// Checked in order; first match wins. Text formats (CSV) have no signature: anything unmatched
// goes on to encoding detection, which rejects the remaining binaries.
const REJECTED_SIGNATURES: Signature[] = [
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    reason:
      "This is a legacy Excel 97–2003 (.xls) file or a password-protected workbook. Save it as .xlsx or CSV (without a password) and upload again.",
  },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], reason: "This is a PDF document, not a CSV or Excel file." },
  { bytes: [0x89, 0x50, 0x4e, 0x47], reason: "This is a PNG image, not a CSV or Excel file." },
  { bytes: [0xff, 0xd8, 0xff], reason: "This is a JPEG image, not a CSV or Excel file." },
  { bytes: [0x47, 0x49, 0x46, 0x38], reason: "This is a GIF image, not a CSV or Excel file." },
  { bytes: [0x57, 0x45, 0x42, 0x50], at: 8, reason: "This is a WebP image, not a CSV or Excel file." },
  { bytes: [0x1f, 0x8b], reason: "This is a gzip archive; decompress it and upload the CSV inside." },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], reason: "This is a 7-Zip archive; extract it and upload the CSV or XLSX inside." },
  { bytes: [0x52, 0x61, 0x72, 0x21], reason: "This is a RAR archive; extract it and upload the CSV or XLSX inside." },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], reason: "This is an executable, not a CSV or Excel file." },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], reason: "This is an RTF document, not a CSV or Excel file." },
];

function matches(head: Buffer, signature: Signature): boolean {
  const at = signature.at ?? 0;
  return signature.bytes.every((byte, i) => head[at + i] === byte);
}

function looksLikeMarkup(head: Buffer): string | null {
  const text = head.toString("latin1").replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart().toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html")) return "This is an HTML page, not a CSV or Excel file.";
  if (text.startsWith("<?xml")) {
    return "This is an XML file (perhaps an Excel 2003 XML spreadsheet). Save it as .xlsx or CSV and upload again.";
  }
  return null;
}

/** A vCard file (.vcf) starts with its first card, after an optional BOM and blank lines. */
function looksLikeVcard(head: Buffer): boolean {
  return /^begin:vcard\r?\n/i.test(head.toString("latin1").replace(/^\xEF\xBB\xBF/, "").trimStart());
}

/**
 * Decides CSV vs XLSX vs vCard from the bytes, never from the file name: a .xls renamed .csv, a
 * PDF or an image gets a reason instead of garbage rows. For zips, the central directory is inspected (and
 * the zip-bomb caps enforced) to tell XLSX from DOCX or any other zip.
 */
export async function detectFileKind(filePath: string): Promise<DetectedFile> {
  let fileBytes: number;
  try {
    fileBytes = (await stat(filePath)).size;
  } catch {
    throw new ImportFileError("file_not_found", "The uploaded file could not be found.");
  }
  if (fileBytes === 0) throw new ImportFileError("empty_file", "The file is empty.");
  if (fileBytes > IMPORT_MAX_FILE_BYTES) {
    throw new ImportFileError(
      "file_too_large",
      `The file is ${(fileBytes / 1024 ** 2).toFixed(1)} MiB; the limit is ${IMPORT_MAX_FILE_BYTES / 1024 ** 2} MiB.`,
    );
  }

  const head = Buffer.alloc(Math.min(HEAD_BYTES * 4, fileBytes));
  const handle = await open(filePath, "r");
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }

  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) {
    const zipEntries = await inspectZip(filePath);
    const names = new Set(zipEntries.map((entry) => entry.name));
    if (names.has("[Content_Types].xml") && names.has("xl/workbook.xml")) return { kind: "xlsx", fileBytes, zipEntries };
    if (names.has("xl/workbook.bin")) {
      throw new ImportFileError("unsupported_type", "This is a binary Excel workbook (.xlsb). Save it as .xlsx or CSV and upload again.");
    }
    if (names.has("word/document.xml")) throw new ImportFileError("unsupported_type", "This is a Word document, not a CSV or Excel file.");
    if (names.has("content.xml")) {
      throw new ImportFileError("unsupported_type", "This is an OpenDocument file. Save it as .xlsx or CSV and upload again.");
    }
    throw new ImportFileError("unsupported_type", "This is a zip archive, not an Excel workbook. Upload the CSV or XLSX file itself.");
  }
  for (const signature of REJECTED_SIGNATURES) {
    if (matches(head, signature)) throw new ImportFileError("unsupported_type", signature.reason);
  }
  const markup = looksLikeMarkup(head);
  if (markup) throw new ImportFileError("unsupported_type", markup);
  if (looksLikeVcard(head)) return { kind: "vcard", fileBytes, zipEntries: null };
  return { kind: "csv", fileBytes, zipEntries: null };
}
