import iconv from "iconv-lite";
import { detectTextEncoding, type TextEncodingName } from "./detect-text-encoding";

export type CsvDelimiter = "," | ";" | "\t" | "|";
export type CsvRecordDelimiter = "\r\n" | "\n" | "\r";

export interface CsvDialect {
  encoding: TextEncodingName;
  bomBytes: number;
  delimiter: CsvDelimiter;
  recordDelimiter: CsvRecordDelimiter;
}

/** Candidates in tie-break order. */
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [",", ";", "\t", "|"];
const SNIFF_RECORDS = 20;

/** Decodes a sample for sniffing only (lossy is fine here; the readers verify strictly). */
export function decodeSample(sample: Buffer, encoding: TextEncodingName): string {
  if (encoding === "windows-1252") return iconv.decode(sample, "win1252");
  return new TextDecoder(encoding).decode(sample).replace(/^\uFEFF/, "");
}

interface SniffedLines {
  counts: Map<CsvDelimiter, number[]>;
  recordDelimiter: CsvRecordDelimiter | null;
}

/** Counts candidate delimiters per record outside quotes, and finds the first line break. */
function scan(text: string, complete: boolean): SniffedLines {
  const counts = new Map<CsvDelimiter, number[]>(CSV_DELIMITERS.map((d) => [d, []]));
  const current = new Map<CsvDelimiter, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  let recordDelimiter: CsvRecordDelimiter | null = null;
  let inQuotes = false;
  let fieldStart = true;
  let recordHasContent = false;
  let records = 0;
  const endRecord = () => {
    if (recordHasContent) {
      for (const d of CSV_DELIMITERS) counts.get(d)!.push(current.get(d)!);
      records++;
    }
    for (const d of CSV_DELIMITERS) current.set(d, 0);
    recordHasContent = false;
    fieldStart = true;
  };
  for (let i = 0; i < text.length && records < SNIFF_RECORDS; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
      recordHasContent = true;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      if (!recordDelimiter) recordDelimiter = ch === "\r" ? (text[i + 1] === "\n" ? "\r\n" : "\r") : "\n";
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      continue;
    }
    if ((CSV_DELIMITERS as readonly string[]).includes(ch)) {
      current.set(ch as CsvDelimiter, current.get(ch as CsvDelimiter)! + 1);
      fieldStart = true;
      recordHasContent = true;
      continue;
    }
    fieldStart = false;
    if (ch !== " ") recordHasContent = true;
  }
  // A record cut off by the end of the sample would skew the counts; a whole file's last is fine.
  if (complete && records < SNIFF_RECORDS) endRecord();
  return { counts, recordDelimiter };
}

/**
 * Picks the delimiter whose count in the header is non-zero and most often repeated exactly in
 * the records after it (quotes respected); ties go to the earlier candidate, and a file with
 * none of them is a single column. Exported for tests; `sniffCsvDialect` is the entry point.
 */
export function sniffDelimiters(text: string, complete: boolean): { delimiter: CsvDelimiter; recordDelimiter: CsvRecordDelimiter } {
  const { counts, recordDelimiter } = scan(text, complete);
  let best: CsvDelimiter = ",";
  let bestScore = -1;
  for (const d of CSV_DELIMITERS) {
    const perRecord = counts.get(d)!;
    const header = perRecord[0] ?? 0;
    if (header === 0) continue;
    const rest = perRecord.slice(1);
    const consistency = rest.length === 0 ? 1 : rest.filter((n) => n === header).length / rest.length;
    // Consistency dominates; the header count breaks near-ties (more columns = likelier).
    const score = consistency * 1000 + Math.min(header, 999);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return { delimiter: best, recordDelimiter: recordDelimiter ?? "\n" };
}

export async function sniffCsvDialect(filePath: string, fileBytes: number, encodingHint?: TextEncodingName | null): Promise<CsvDialect> {
  const { encoding, bomBytes, prefix } = await detectTextEncoding(filePath, encodingHint);
  const text = decodeSample(prefix.subarray(bomBytes), encoding);
  return { encoding, bomBytes, ...sniffDelimiters(text, prefix.length >= fileBytes) };
}
