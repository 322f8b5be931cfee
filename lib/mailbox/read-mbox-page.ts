import type { Readable } from "node:stream";
import { MAILBOX_MESSAGE_MAX_BYTES } from "@/core/mailbox/mailbox-limits";

/** One message as split from the file: its raw bytes (capped), where it starts, and how big it really was. */
export type RawMailMessage = { offset: number; raw: Buffer; bytes: number; truncated: boolean };
export type MboxPage = { messages: RawMailMessage[]; nextOffset: number | null };

// A line longer than this is passed on in pieces: no line, however long, is held whole.
const LINE_PIECE_BYTES = 64 * 1024;
const FROM_ = Buffer.from("From ");
const QUOTED_FROM = /^>+From /;
// "From <sender> <weekday> …", the envelope line mbox writers put before each message.
const ENVELOPE_LINE = /^From \S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/;

/**
 * Reads up to `maxMessages` messages from `stream`, opened at byte `offset` of an mbox (the
 * "From " separated format Google Takeout writes; ">From " lines are unquoted, mboxrd) or of a
 * single .eml (a file not starting with "From " is one message). Streams: only the current
 * message's first `maxMessageBytes` are kept, so an attachment of a gigabyte costs a scan, not
 * memory. `nextOffset` is where the next page starts, null at the end of the file.
 *
 * A separator is a "From " line after an empty line (or at the start of the file) or one shaped
 * like an envelope ("From sender Wed …"), so a body line that merely starts with "From "
 * (unquoted by a careless writer) in the middle of a paragraph does not split a message.
 */
export async function readMboxPage(
  stream: Readable,
  options: { offset: number; maxMessages: number; maxMessageBytes?: number },
): Promise<MboxPage> {
  const cap = options.maxMessageBytes ?? MAILBOX_MESSAGE_MAX_BYTES;
  const messages: RawMailMessage[] = [];
  let position = options.offset;
  let mbox: boolean | null = options.offset > 0 ? true : null;
  let current: { offset: number; parts: Buffer[]; kept: number; bytes: number; truncated: boolean } | null = null;
  let previousLineEmpty = true;
  let pending: Buffer = Buffer.alloc(0);
  let pendingIsLineStart = true;

  const finish = () => {
    if (current) messages.push({ offset: current.offset, raw: Buffer.concat(current.parts), bytes: current.bytes, truncated: current.truncated });
    current = null;
  };
  const append = (piece: Buffer, lineStart: boolean) => {
    if (!current) return;
    current.bytes += piece.length;
    let data = piece;
    if (lineStart && data[0] === 0x3e /* > */ && QUOTED_FROM.test(data.subarray(0, 64).toString("latin1"))) data = data.subarray(1);
    const room = cap - current.kept;
    if (room <= 0) {
      current.truncated = true;
      return;
    }
    const kept = data.length <= room ? data : data.subarray(0, room);
    if (kept.length < data.length) current.truncated = true;
    current.parts.push(Buffer.from(kept));
    current.kept += kept.length;
  };

  /** Handles one piece of a line; returns true when the page is full and reading stops before `start`. */
  const onPiece = (piece: Buffer, lineStart: boolean, start: number): boolean => {
    if (mbox === null) {
      mbox = piece.subarray(0, 5).equals(FROM_);
      if (!mbox) current = { offset: start, parts: [], kept: 0, bytes: 0, truncated: false };
    }
    const separator =
      mbox && lineStart && piece.subarray(0, 5).equals(FROM_) && (previousLineEmpty || ENVELOPE_LINE.test(piece.subarray(0, 200).toString("latin1")));
    if (separator) {
      finish();
      if (messages.length >= options.maxMessages) return true;
      current = { offset: start, parts: [], kept: 0, bytes: 0, truncated: false };
    } else {
      append(piece, lineStart);
    }
    const ends = piece[piece.length - 1] === 0x0a;
    if (ends) previousLineEmpty = lineStart && (piece.length === 1 || (piece.length === 2 && piece[0] === 0x0d));
    else if (lineStart) previousLineEmpty = false;
    return false;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const bufferStart = position - pending.length;
      pending = Buffer.alloc(0);
      let from = 0;
      for (;;) {
        const newline = buffer.indexOf(0x0a, from);
        if (newline === -1) break;
        const piece = buffer.subarray(from, newline + 1);
        if (onPiece(piece, pendingIsLineStart, bufferStart + from)) return { messages, nextOffset: bufferStart + from };
        pendingIsLineStart = true;
        from = newline + 1;
      }
      const rest = buffer.subarray(from);
      if (rest.length > LINE_PIECE_BYTES) {
        if (onPiece(rest, pendingIsLineStart, bufferStart + from)) return { messages, nextOffset: bufferStart + from };
        pendingIsLineStart = false;
      } else {
        pending = Buffer.from(rest);
      }
      position += chunk.length;
    }
    if (pending.length > 0 && onPiece(pending, pendingIsLineStart, position - pending.length)) {
      return { messages, nextOffset: position - pending.length };
    }
    finish();
    return { messages, nextOffset: null };
  } finally {
    stream.destroy();
  }
}
