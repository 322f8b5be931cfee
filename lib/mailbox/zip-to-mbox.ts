import { PassThrough, type Readable } from "node:stream";
import { Unzip, UnzipInflate } from "fflate";
import { MAILBOX_ZIP_MAX_ENTRIES, MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES } from "@/core/mailbox/mailbox-limits";
import type { FileStorage, StoredFile } from "@/lib/storage/file-storage";

export class MailboxFileError extends Error {
  override readonly name = "MailboxFileError";
  constructor(
    message: string,
    /** What the upload is refused as (the API's error code). */
    readonly code: "zip_invalid" | "zip_too_many_entries" | "zip_too_large" = "zip_invalid",
  ) {
    super(message);
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ENVELOPE = Buffer.from("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n");

/** Whether a stored file is a zip (its first four bytes), read without reading the rest. */
export async function isZipFile(storage: FileStorage, key: string): Promise<boolean> {
  const stream = await storage.openRead(key);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) return chunk.subarray(0, 4).equals(ZIP_MAGIC);
    return false;
  } finally {
    stream.destroy();
  }
}

async function readRange(storage: FileStorage, key: string, start: number, length: number): Promise<Buffer> {
  const stream = await storage.openRead(key, { start });
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      read += chunk.length;
      if (read >= length) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, length);
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
/** A central directory larger than this (≈ 1 KiB per entry at the entry cap) is refused unread. */
const MAX_DIRECTORY_BYTES = 128 * 1024 * 1024;

/**
 * Checks an uploaded zip before it is accepted, from its central directory only (the tail of the
 * file, never the entries): the entry count and the declared inflated size against the caps, so
 * a zip bomb is refused at upload with a 4xx rather than failing its import later. A zip lying
 * about its sizes still stops at the same caps while it is converted (zipToMbox).
 */
export async function checkMailboxZip(storage: FileStorage, params: { key: string; bytes: number }): Promise<{ entries: number; declaredBytes: number }> {
  const tailBytes = Math.min(params.bytes, 22 + 0xffff);
  const tail = await readRange(storage, params.key, params.bytes - tailBytes, tailBytes);
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new MailboxFileError("The zip is not readable: its central directory is missing (a truncated upload?)");
  let entries = tail.readUInt16LE(eocd + 10);
  let directoryBytes = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || directoryBytes === 0xffffffff || directoryOffset === 0xffffffff) {
    // ZIP64 (more than 65,535 entries): the real numbers are in the ZIP64 record the locator points at.
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new MailboxFileError("The zip is not readable: its ZIP64 record is missing");
    const record = await readRange(storage, params.key, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new MailboxFileError("The zip is not readable: its ZIP64 record is corrupt");
    entries = Number(record.readBigUInt64LE(32));
    directoryBytes = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (entries > MAILBOX_ZIP_MAX_ENTRIES) throw new MailboxFileError(`The zip has ${entries} entries; the limit is ${MAILBOX_ZIP_MAX_ENTRIES}`, "zip_too_many_entries");
  if (directoryBytes > MAX_DIRECTORY_BYTES || directoryOffset + directoryBytes > params.bytes) throw new MailboxFileError("The zip is not readable: its central directory is out of bounds");
  const directory = await readRange(storage, params.key, directoryOffset, directoryBytes);
  let declared = 0;
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new MailboxFileError("The zip is not readable: its central directory is corrupt");
    let inflated = directory.readUInt32LE(at + 24);
    const nameBytes = directory.readUInt16LE(at + 28);
    const extraBytes = directory.readUInt16LE(at + 30);
    const commentBytes = directory.readUInt16LE(at + 32);
    if (inflated === 0xffffffff) {
      // The ZIP64 extra field (id 1) carries the real size, first.
      for (let extra = at + 46 + nameBytes; extra + 4 <= at + 46 + nameBytes + extraBytes; extra += 4 + directory.readUInt16LE(extra + 2)) {
        if (directory.readUInt16LE(extra) === 1 && extra + 12 <= directory.length) {
          inflated = Number(directory.readBigUInt64LE(extra + 4));
          break;
        }
      }
    }
    declared += inflated;
    if (declared > MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES) {
      throw new MailboxFileError(`The zip inflates to more than ${MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES / (1024 * 1024)} MiB; it looks like a zip bomb`, "zip_too_large");
    }
    at += 46 + nameBytes + extraBytes + commentBytes;
  }
  return { entries, declaredBytes: declared };
}

/**
 * Rewrites a .zip of .eml files as one mbox (each message behind a "From " line, its own
 * "From " lines quoted as mboxrd does), streamed from storage to storage, so the page reader
 * has a single format to split by byte offsets. Entries that are not .eml are skipped; the entry
 * count and inflated size are capped while inflating (a zip bomb stops at the cap).
 */
export async function zipToMbox(storage: FileStorage, params: { sourceKey: string; targetKey: string }): Promise<StoredFile & { messages: number }> {
  const source = await storage.openRead(params.sourceKey);
  const out = new PassThrough();
  let messages = 0;
  let entries = 0;
  let inflated = 0;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    out.destroy(error);
  };
  const unzip = new Unzip((file) => {
    entries++;
    if (entries > MAILBOX_ZIP_MAX_ENTRIES) return fail(new MailboxFileError(`The zip has more than ${MAILBOX_ZIP_MAX_ENTRIES} entries`, "zip_too_many_entries"));
    if (!/\.eml$/i.test(file.name) || file.name.endsWith("/")) return;
    messages++;
    out.write(ENVELOPE);
    let atLineStart = true;
    let carry = "";
    file.ondata = (error, data, final) => {
      if (error) return fail(new MailboxFileError(`The zip entry ${file.name} cannot be inflated: ${error.message}`));
      inflated += data.length;
      if (inflated > MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES) return fail(new MailboxFileError("The zip inflates to more than the limit", "zip_too_large"));
      // latin1 maps bytes 1:1, so quoting never re-encodes the message. Whole lines are quoted;
      // the last partial line waits for the next chunk, unless it runs past 64 KiB.
      const text = carry + Buffer.from(data).toString("latin1");
      let cut = final ? text.length : text.lastIndexOf("\n") + 1;
      if (cut === 0 && text.length > 64 * 1024) cut = text.length;
      carry = text.slice(cut);
      const whole = text.slice(0, cut);
      const quoted = whole.replace(atLineStart ? /(^|\n)(>*From )/g : /(\n)(>*From )/g, (_match, start: string, from: string) => `${start}>${from}`);
      if (quoted.length > 0) out.write(Buffer.from(quoted, "latin1"));
      if (whole.length > 0) atLineStart = whole.endsWith("\n");
      if (final) out.write(atLineStart ? "\n" : "\n\n");
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const pump = (async () => {
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (failure) break;
        unzip.push(chunk);
      }
      if (!failure) unzip.push(new Uint8Array(0), true);
      out.end();
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    } finally {
      source.destroy();
    }
  })();
  try {
    const stored = await storage.put(params.targetKey, out as Readable);
    await pump;
    if (failure) throw failure;
    if (messages === 0) throw new MailboxFileError("The zip holds no .eml files");
    return { ...stored, messages };
  } catch (error) {
    await pump.catch(() => {});
    await storage.delete(params.targetKey).catch(() => {});
    throw failure ?? error;
  }
}
