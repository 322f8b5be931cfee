import { PassThrough, type Readable } from "node:stream";
import { Unzip, UnzipInflate } from "fflate";
import { MAILBOX_ZIP_MAX_ENTRIES, MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES } from "@/core/mailbox/mailbox-limits";
import type { FileStorage, StoredFile } from "@/lib/storage/file-storage";

export class MailboxFileError extends Error {
  override readonly name = "MailboxFileError";
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
    if (entries > MAILBOX_ZIP_MAX_ENTRIES) return fail(new MailboxFileError(`The zip has more than ${MAILBOX_ZIP_MAX_ENTRIES} entries`));
    if (!/\.eml$/i.test(file.name) || file.name.endsWith("/")) return;
    messages++;
    out.write(ENVELOPE);
    let atLineStart = true;
    let carry = "";
    file.ondata = (error, data, final) => {
      if (error) return fail(new MailboxFileError(`The zip entry ${file.name} cannot be inflated: ${error.message}`));
      inflated += data.length;
      if (inflated > MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES) return fail(new MailboxFileError("The zip inflates to more than the limit"));
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
