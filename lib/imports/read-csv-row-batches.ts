import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { pipeline, type Readable, Transform, type TransformCallback } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import iconv from "iconv-lite";
import { UNDEFINED_WINDOWS_1252_BYTES } from "./detect-text-encoding";
import { ImportFileError } from "@/core/imports/import-file-error";
import { IMPORT_MAX_RECORD_CHARS } from "./limits";
import type { RawRow } from "./raw-row";
import type { CsvDialect } from "./sniff-csv-dialect";

const READ_CHUNK_BYTES = 64 * 1024;

// csv-parse reads Windows-1252 as latin1 (same byte count, so its byte offsets stay exact);
// only 0x80–0x9F differ, and iconv-lite supplies the real characters for those.
const WINDOWS_1252_HIGH = iconv.decode(Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i)), "win1252");
const LATIN1_C1 = /[\u0080-\u009f]/g;
function fromLatin1(text: string): string {
  return text.replace(LATIN1_C1, (ch) => WINDOWS_1252_HIGH[ch.charCodeAt(0) - 0x80] ?? ch);
}

function badEncoding(detail: string): ImportFileError {
  return new ImportFileError(
    "unreadable_encoding",
    `The file's encoding changes part-way: ${detail}. Save it as "CSV UTF-8" and upload again.`,
  );
}

/**
 * Checks every byte against the encoding chosen from the sample, before the parser sees it, so
 * no record is ever yielded from bytes that were silently mangled: bytes that are not UTF-8, or
 * that Windows-1252 leaves undefined, mean the file changes encoding part-way. UTF-16 has no
 * such bytes — any pair of bytes is a code unit — and half of a surrogate pair is one damaged
 * character, not a change of encoding: it reaches its cell, which replaces it and warns (see
 * map-row.ts), instead of failing the file. UTF-16BE is byte-swapped to LE here because
 * csv-parse (like Node's Buffer) only knows LE; offsets are unchanged.
 */
function createEncodingVerifier(dialect: CsvDialect, startOffset: number): Transform {
  let offset = startOffset;
  let utf8Carry: Buffer = Buffer.alloc(0);
  let carry: Buffer | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const at = offset;
      offset += chunk.length;
      try {
        switch (dialect.encoding) {
          case "utf-8": {
            // Checked natively, without decoding to a string (the parser decodes once, later); a
            // character cut by the chunk boundary is checked with the next chunk.
            const data = utf8Carry.length > 0 ? Buffer.concat([utf8Carry, chunk]) : chunk;
            const whole = data.length - incompleteUtf8Tail(data);
            if (!isUtf8(data.subarray(0, whole))) throw badEncoding(`invalid UTF-8 between bytes ${at - utf8Carry.length} and ${offset}`);
            utf8Carry = Buffer.from(data.subarray(whole));
            return done(null, chunk);
          }
          case "windows-1252": {
            const bad = UNDEFINED_WINDOWS_1252_BYTES.exec(chunk.toString("latin1"));
            if (bad) throw badEncoding(`byte 0x${chunk[bad.index]!.toString(16)} at offset ${at + bad.index} is not text`);
            return done(null, chunk);
          }
          case "utf-16be":
          case "utf-16le": {
            let data = carry ? Buffer.concat([carry, chunk]) : chunk;
            const even = data.length & ~1;
            carry = even < data.length ? Buffer.from(data.subarray(even)) : null;
            data = Buffer.from(data.subarray(0, even));
            if (dialect.encoding === "utf-16be") data.swap16();
            return done(null, data);
          }
        }
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      const cutShort = dialect.encoding === "utf-8" && utf8Carry.length > 0;
      done(cutShort ? badEncoding("the file ends in the middle of a character") : null);
    },
  });
}

/** Bytes at the end of `bytes` that start a UTF-8 character the buffer does not finish (0–3). */
function incompleteUtf8Tail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    // Only a valid lead byte can start a character; anything else is left for isUtf8 to reject.
    const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    return length > back ? back : 0;
  }
  return 0; // continuation bytes only: not a character isUtf8 could accept anyway
}

function countLineBreaks(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    if (cell.length === 0 || (!cell.includes("\n") && !cell.includes("\r"))) continue;
    const matches = cell.match(/\r\n|\r|\n/g);
    breaks += matches ? matches.length : 0;
  }
  return breaks;
}

function translateParseError(error: unknown, line: number): unknown {
  const code = (error as Partial<CsvError> | null)?.code;
  if (code === "CSV_QUOTE_NOT_CLOSED") {
    return new ImportFileError("malformed_csv", `The quoted field starting on line ${line} is never closed.`);
  }
  if (code === "CSV_MAX_RECORD_SIZE") {
    return new ImportFileError(
      "record_too_large",
      `The record starting on line ${line} is larger than ${IMPORT_MAX_RECORD_CHARS / 1024 ** 2} MiB; a quote is probably left open.`,
    );
  }
  if (typeof code === "string" && code.startsWith("CSV_")) {
    return new ImportFileError("malformed_csv", `The CSV cannot be parsed near line ${line}: ${(error as Error).message}`);
  }
  return error;
}

/**
 * Resolves once `stream` has records to read, has ended or was closed; rejects with its error.
 * (Node's own async iterator does the same per record; here one wait covers a whole batch.)
 */
function whenReadable(stream: Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = () => {
      stream.off("readable", settle).off("end", settle).off("close", settle).off("error", fail);
      resolve();
    };
    const fail = (error: Error) => {
      stream.off("readable", settle).off("end", settle).off("close", settle).off("error", fail);
      reject(error);
    };
    stream.on("readable", settle).on("end", settle).on("close", settle).on("error", fail);
  });
}

/**
 * Streams CSV records from `start` (a record boundary: just after the BOM, or a cursor from a
 * previous read), in batches: every record the parser has ready at once, typically a 64 KiB
 * read's worth. Every physical line comes out as a row, blank ones included, so the caller's
 * record numbering never depends on where reading started. Constant memory: 64 KiB reads, and
 * what the parser made of one. Breaking out of the loop closes the file.
 *
 * Batches rather than one record per iteration: each step of an async iteration costs a
 * promise, which at a million records is a measurable share of an import.
 */
export async function* readCsvRowBatches(
  filePath: string,
  dialect: CsvDialect,
  start: { byteOffset: number; line: number },
): AsyncGenerator<RawRow[]> {
  const source = createReadStream(filePath, { start: start.byteOffset, highWaterMark: READ_CHUNK_BYTES });
  const parser = parse({
    encoding: dialect.encoding === "utf-8" ? "utf8" : dialect.encoding === "windows-1252" ? "latin1" : "utf16le",
    delimiter: dialect.delimiter,
    record_delimiter: dialect.recordDelimiter,
    bom: false,
    relax_column_count: true,
    // Stray quotes inside unquoted fields (5'11", O"Brien) are kept literally, not fatal.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: IMPORT_MAX_RECORD_CHARS,
  });
  // The byte offset just past each record, in record order. csv-parse pushes each record the
  // moment it ends, with its public `info.bytes` at that record's end; reading it there costs
  // nothing, where `on_record` (or `info: true`) builds a context object per record, which
  // doubled the parser's time. The resume tests check these offsets.
  const recordEndBytes: number[] = [];
  const push = parser.push.bind(parser);
  parser.push = (record: unknown, encoding?: BufferEncoding) => {
    if (record !== null) recordEndBytes.push(parser.info.bytes);
    return push(record, encoding);
  };
  pipeline(source, createEncodingVerifier(dialect, start.byteOffset), parser, () => {
    // Errors surface through the parser, read below.
  });

  const latin = dialect.encoding === "windows-1252";
  let line = start.line;
  try {
    for (;;) {
      const batch: RawRow[] = [];
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) {
        const bytes = recordEndBytes[batch.length] ?? 0;
        const cells = record.map((cell) => (latin ? fromLatin1(cell) : cell).trim());
        const rowLine = line;
        line += 1 + countLineBreaks(record);
        batch.push({ line: rowLine, cells, cellWarnings: [], nextByteOffset: start.byteOffset + bytes, nextLine: line });
      }
      recordEndBytes.splice(0, batch.length);
      if (batch.length > 0) {
        yield batch;
        // Read again before waiting: what arrived while the batch was out announced itself then.
        continue;
      }
      // Nothing to read just now, so the parser will announce what comes next.
      if (parser.errored) throw parser.errored;
      if (parser.readableEnded || parser.destroyed) return;
      await whenReadable(parser);
    }
  } catch (error) {
    throw translateParseError(error, line);
  } finally {
    source.destroy();
    parser.destroy();
  }
}
