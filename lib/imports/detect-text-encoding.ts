import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { ImportFileError } from "@/core/imports/import-file-error";
import { IMPORT_SNIFF_SAMPLE_BYTES } from "./limits";

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** Length of the byte-order mark to skip (0, 2 or 3). */
  bomBytes: number;
  /** Start of the file, BOM included, for dialect sniffing. */
  prefix: Buffer;
}

// A NUL byte never occurs in a text export in a single-byte or UTF-8 encoding, and occurs in
// every binary format. Other control characters do turn up in real cells (a BEL or ESC pasted
// from a terminal): they are text, stored as they are, and never fail a file.
export const BINARY_BYTES = /\x00/;
// The five bytes Windows-1252 leaves undefined.
export const UNDEFINED_WINDOWS_1252_BYTES = /[\x81\x8d\x8f\x90\x9d]/;
const NOT_WINDOWS_1252_BYTES = /[\x00\x81\x8d\x8f\x90\x9d]/;
const NON_ASCII = /[^\x00-\x7f]/;

function unreadable(detail: string): ImportFileError {
  return new ImportFileError(
    "unreadable_encoding",
    `The file is not readable text: ${detail}. Save it as "CSV UTF-8" (or as .xlsx) and upload again.`,
  );
}

function isValidUtf8(sample: Buffer): boolean {
  try {
    // stream: true tolerates a multi-byte character cut off by the end of the sample.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** UTF-16 without a BOM: ASCII-range text has a zero in every other byte. */
function utf16WithoutBom(prefix: Buffer): TextEncodingName | null {
  const pairs = Math.min(prefix.length >> 1, 2048);
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (prefix[2 * i] === 0) evenZeros++;
    if (prefix[2 * i + 1] === 0) oddZeros++;
  }
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return "utf-16le";
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return "utf-16be";
  return null;
}

/** The first 64 KiB that contain a non-ASCII byte, scanning forward (streaming) if needed. */
async function firstNonAsciiSample(filePath: string, from: number): Promise<Buffer | null> {
  let position = from;
  for await (const chunk of createReadStream(filePath, { start: from, highWaterMark: IMPORT_SNIFF_SAMPLE_BYTES })) {
    const buffer = chunk as Buffer;
    const hit = NON_ASCII.exec(buffer.toString("latin1"));
    if (hit) {
      const start = position + hit.index;
      const handle = await open(filePath, "r");
      try {
        const sample = Buffer.alloc(IMPORT_SNIFF_SAMPLE_BYTES);
        const { bytesRead } = await handle.read(sample, 0, sample.length, start);
        return sample.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    }
    position += buffer.length;
  }
  return null;
}

/**
 * Picks the encoding of a text file. BOMs win. Otherwise the decision is made on a sample: the
 * first 64 KiB, or, when that is plain ASCII, the 64 KiB starting at the first non-ASCII byte
 * anywhere in the file, so a Windows-1252 export whose first "é" sits on row 50,000 is still
 * recognised. The readers re-verify every byte while streaming (see `createEncodingVerifier`).
 * That forward scan reads an all-ASCII file to its end, so chunked readers pass the `hint`.
 */
export async function detectTextEncoding(filePath: string, hint?: TextEncodingName | null): Promise<DetectedEncoding> {
  const handle = await open(filePath, "r");
  let prefix: Buffer;
  try {
    const buffer = Buffer.alloc(IMPORT_SNIFF_SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    prefix = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }

  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return { encoding: "utf-8", bomBytes: 3, prefix };
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return { encoding: "utf-16le", bomBytes: 2, prefix };
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return { encoding: "utf-16be", bomBytes: 2, prefix };
  // A decision already made by a full look at this file (openImportSource) skips the forward scan.
  if (hint) return { encoding: hint, bomBytes: 0, prefix };
  const utf16 = utf16WithoutBom(prefix);
  if (utf16) return { encoding: utf16, bomBytes: 0, prefix };

  const latin = prefix.toString("latin1");
  const binary = BINARY_BYTES.exec(latin);
  if (binary) {
    const code = latin.charCodeAt(binary.index);
    throw unreadable(`it contains binary data (byte 0x${code.toString(16).padStart(2, "0")} at offset ${binary.index})`);
  }
  const sample = NON_ASCII.test(latin)
    ? prefix
    : prefix.length < IMPORT_SNIFF_SAMPLE_BYTES
      ? null
      : await firstNonAsciiSample(filePath, prefix.length);
  if (!sample || isValidUtf8(sample)) return { encoding: "utf-8", bomBytes: 0, prefix };
  if (!NOT_WINDOWS_1252_BYTES.test(sample.toString("latin1"))) return { encoding: "windows-1252", bomBytes: 0, prefix };
  throw unreadable("it is neither valid UTF-8 nor Windows-1252");
}
