import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { dataDir } from "@/core/config/data-dir";
import { assertStorageKey, type ByteSource, bytesOf, type FileStorage, FileTooLargeError, type StoredFile } from "./file-storage";

/** Stores files under `<root>/<key>` (default `$SENDLINE_DATA_DIR/files`). */
export class LocalFileStorage implements FileStorage {
  constructor(readonly root: string = path.join(dataDir(), "files")) {}

  private pathOf(key: string): string {
    assertStorageKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, body: ByteSource, options: { maxBytes?: number } = {}): Promise<StoredFile> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written beside the target and renamed, so a reader never sees half a file.
    const partial = `${target}.partial-${randomBytes(4).toString("hex")}`;
    const hash = createHash("sha256");
    let bytes = 0;
    const out = fs.createWriteStream(partial);
    // Write errors surface through drain/end below. Without a listener, an error arriving after
    // destroy() (the file still being opened when the body was refused) would crash the process.
    out.on("error", () => {});
    try {
      for await (const chunk of bytesOf(body)) {
        bytes += chunk.byteLength;
        if (options.maxBytes !== undefined && bytes > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, "drain");
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await rename(partial, target);
      return { key, bytes, sha256: hash.digest("hex") };
    } catch (error) {
      // Settle the file (an open may still be pending) before removing it, or the open could
      // recreate it, or fail later, after the caller has moved on.
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()).destroy());
      await rm(partial, { force: true });
      throw error;
    }
  }

  async openRead(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    await fs.promises.access(file);
    return fs.createReadStream(file);
  }

  withLocalPath<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    return fn(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
