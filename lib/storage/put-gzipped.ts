import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { FileStorage, PutOptions, StoredFile } from "./file-storage";

/**
 * Streams `chunks` through gzip into storage at `key`, hashing and counting the uncompressed
 * bytes on the way (the stored file's own size and hash come from `put`). What archives and
 * backups write; the same key written again replaces the file, unless `ifAbsent` makes it write-once.
 */
export async function putGzipped(
  storage: FileStorage,
  key: string,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  options: Pick<PutOptions, "ifAbsent"> = {},
): Promise<{ stored: StoredFile; contentBytes: number; contentSha256: string }> {
  const content = createHash("sha256");
  let contentBytes = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      content.update(chunk);
      contentBytes += chunk.length;
      yield chunk;
    }
  }
  const gzip = createGzip();
  const feeding = pipeline(Readable.from(counted()), gzip);
  try {
    const stored = await storage.put(key, gzip, options);
    await feeding;
    return { stored, contentBytes, contentSha256: content.digest("hex") };
  } catch (error) {
    gzip.destroy();
    await feeding.catch(() => {});
    throw error;
  }
}
