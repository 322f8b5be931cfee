import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import iconv from "iconv-lite";
import { ImportFileError } from "@/core/imports/import-file-error";
import { IMPORT_MAX_RECORD_CHARS } from "./limits";

/** One card as written in the file, or a stretch of it that is not a card. */
export interface VcardCard {
  /** Physical line where the card starts (its BEGIN:VCARD). */
  line: number;
  /** Content lines between BEGIN and END, unfolded; binary properties (PHOTO, LOGO, SOUND, KEY) are left out. */
  lines: string[];
  /** Why the card cannot be read as a whole (no END:VCARD, text outside any card); null when it can. */
  error: string | null;
  /** A contact group (Apple Contacts exports each group as a card): not a person. */
  group: boolean;
  /** Resume position right after this card. */
  nextByteOffset: number;
  nextLine: number;
}

const READ_CHUNK_BYTES = 64 * 1024;
const BEGIN = /^begin:vcard$/i;
const END = /^end:vcard$/i;
// Photos and keys are base64 blobs of up to megabytes: never buffered.
const BINARY_PROPERTY = /^(?:[\w-]+\.)?(?:photo|logo|sound|key)[;:]/i;
const GROUP_KIND = /^(?:[\w-]+\.)?(?:x-addressbookserver-kind|kind):\s*group\s*$/i;
const QUOTED_PRINTABLE = /^[^:]*;[^:]*quoted-printable/i;

/** A line's text: UTF-8 when it is, else Windows-1252 (vCard 2.1 exports with 8-bit CHARSET values). */
function lineText(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  const body = bytes.subarray(0, end);
  return isUtf8(body) ? body.toString("utf8") : iconv.decode(body, "win1252");
}

/** Physical lines with the byte offset just past each. */
async function* physicalLines(filePath: string, start: number): AsyncGenerator<{ text: string; end: number }> {
  const stream = createReadStream(filePath, { start, highWaterMark: READ_CHUNK_BYTES });
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let from = 0;
      for (let newline = data.indexOf(0x0a, from); newline !== -1; newline = data.indexOf(0x0a, from)) {
        offset += newline + 1 - from;
        yield { text: lineText(data.subarray(from, newline)), end: offset };
        from = newline + 1;
      }
      carry = Buffer.from(data.subarray(from));
      if (carry.length > IMPORT_MAX_RECORD_CHARS) {
        throw new ImportFileError("record_too_large", `A line near byte ${offset} is longer than ${IMPORT_MAX_RECORD_CHARS / 1024 ** 2} MiB.`);
      }
    }
    if (carry.length > 0) yield { text: lineText(carry), end: offset + carry.length };
  } finally {
    stream.destroy();
  }
}

/**
 * Streams the cards of a vCard file (2.1, 3.0, 4.0) from `start` (the top of the file past any
 * BOM, or a cursor from a previous read, which is always just past a card). Unfolds continued
 * lines (a leading space or tab) and quoted-printable soft line breaks (a value ending in "="),
 * and keeps one card in memory at a time. A card cut short (no END:VCARD before the next BEGIN
 * or the end of the file), and text outside any card, come out as cards with an `error`, so one
 * bad card costs that card, never the file.
 */
export async function* readVcardCards(filePath: string, start: { byteOffset: number; line: number }): AsyncGenerator<VcardCard> {
  let lineNumber = start.line - 1;
  let card: { line: number; lines: string[]; chars: number; group: boolean } | null = null;
  let logical: string | null = null;
  let skipping = false;
  let stray: { line: number } | null = null;
  let lastEnd = start.byteOffset;

  const flush = () => {
    if (card && logical !== null && !skipping) {
      if (GROUP_KIND.test(logical)) card.group = true;
      card.lines.push(logical);
      card.chars += logical.length;
      if (card.chars > IMPORT_MAX_RECORD_CHARS) {
        throw new ImportFileError("record_too_large", `The card starting on line ${card.line} is larger than ${IMPORT_MAX_RECORD_CHARS / 1024 ** 2} MiB.`);
      }
    }
    logical = null;
    skipping = false;
  };

  for await (const { text, end } of physicalLines(filePath, start.byteOffset)) {
    lineNumber++;
    const previousEnd = lastEnd;
    lastEnd = end;
    if (card) {
      // A quoted-printable soft line break first: there, a leading space is part of the text.
      if (logical !== null && !skipping && logical.endsWith("=") && QUOTED_PRINTABLE.test(logical)) {
        logical = logical.slice(0, -1) + text;
        continue;
      }
      if ((text.startsWith(" ") || text.startsWith("\t")) && logical !== null) {
        if (!skipping) logical += text.slice(1);
        continue;
      }
      flush();
      const trimmed = text.trim();
      if (END.test(trimmed)) {
        yield { line: card.line, lines: card.lines, error: null, group: card.group, nextByteOffset: end, nextLine: lineNumber + 1 };
        card = null;
      } else if (BEGIN.test(trimmed)) {
        yield { line: card.line, lines: [], error: "the card has no END:VCARD before the next card", group: false, nextByteOffset: previousEnd, nextLine: lineNumber };
        card = { line: lineNumber, lines: [], chars: 0, group: false };
      } else if (trimmed !== "") {
        logical = text;
        skipping = BINARY_PROPERTY.test(text);
      }
      continue;
    }
    const trimmed = text.replace(/^\uFEFF/, "").trim();
    if (BEGIN.test(trimmed)) {
      if (stray) yield { line: stray.line, lines: [], error: "text outside any BEGIN:VCARD … END:VCARD card", group: false, nextByteOffset: previousEnd, nextLine: lineNumber };
      stray = null;
      card = { line: lineNumber, lines: [], chars: 0, group: false };
    } else if (trimmed !== "") {
      stray ??= { line: lineNumber };
    }
  }
  if (card) {
    flush();
    yield { line: card.line, lines: [], error: "the file ends before the card's END:VCARD", group: false, nextByteOffset: lastEnd, nextLine: lineNumber + 1 };
  } else if (stray) {
    yield { line: stray.line, lines: [], error: "text outside any BEGIN:VCARD … END:VCARD card", group: false, nextByteOffset: lastEnd, nextLine: lineNumber + 1 };
  }
}
