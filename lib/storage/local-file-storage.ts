import { randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { link, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { dataDir } from "@/core/config/data-dir";
import { ByteMeter } from "./byte-meter";
import { assertStorageKey, type ByteSource, type FileStorage, type PutOptions, type StoredFile } from "./file-storage";
import { FileExistsError, StorageError } from "./storage-error";

/** The disk's failures as storage kinds; the system error (with its path) stays the cause. */
function diskError(error: unknown): StorageError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return new StorageError("not-found", "The stored file is missing.", { cause: error });
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return new StorageError("denied", "The file storage directory is not writable.", { cause: error });
  return new StorageError("unavailable", "The file storage directory could not be used.", { cause: error });
}

/** Runs a disk operation, its failure as a StorageError. */
const onDisk = <T>(work: Promise<T>): Promise<T> =>
  work.catch((error: unknown) => {
    throw diskError(error);
  });

/** Stores files under `<root>/<key>` (default `$SENDLINE_DATA_DIR/files`). */
export class LocalFileStorage implements FileStorage {
  constructor(readonly root: string = path.join(dataDir(), "files")) {}

  private pathOf(key: string): string {
    assertStorageKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, body: ByteSource, options: PutOptions = {}): Promise<StoredFile> {
    const target = this.pathOf(key);
    await onDisk(mkdir(path.dirname(target), { recursive: true }));
    // Written beside the target and renamed, so a reader never sees half a file.
    const partial = `${target}.partial-${randomBytes(4).toString("hex")}`;
    const meter = new ByteMeter(options.maxBytes);
    const out = fs.createWriteStream(partial);
    // Write errors surface through drain/end below. Without a listener, an error arriving after
    // destroy() (the file still being opened when the body was refused) would crash the process.
    out.on("error", () => {});
    try {
      for await (const chunk of meter.pass(body)) {
        if (!out.write(chunk)) await once(out, "drain");
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (options.ifAbsent) {
        // link() creates the name only if it is free, atomically: of two writers one wins.
        await link(partial, target).catch((error: unknown) => {
          throw (error as NodeJS.ErrnoException).code === "EEXIST" ? new FileExistsError({ cause: error }) : error;
        });
        await rm(partial, { force: true });
      } else await rename(partial, target);
      return { key, ...meter.result() };
    } catch (error) {
      // Settle the file (an open may still be pending) before removing it, or the open could
      // recreate it, or fail later, after the caller has moved on.
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()).destroy());
      await rm(partial, { force: true });
      throw meter.isBodyError(error) || error instanceof FileExistsError ? error : diskError(error);
    }
  }

  async openRead(key: string, options: { start?: number } = {}): Promise<Readable> {
    const file = this.pathOf(key);
    await onDisk(fs.promises.access(file));
    return fs.createReadStream(file, { start: options.start ?? 0 });
  }

  async withLocalPath<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    const file = this.pathOf(key);
    // Checked first so a missing file is the same `not-found` as on S3, not a reader's ENOENT.
    await onDisk(fs.promises.access(file));
    return fn(file);
  }

  async delete(key: string): Promise<void> {
    await onDisk(rm(this.pathOf(key), { force: true }));
  }
}
