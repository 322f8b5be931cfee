import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { FileStorage, StoredFile } from "@/lib/storage/file-storage";

/**
 * A file being streamed into storage: bytes are written as they are made and `put` consumes
 * them as it goes, so memory holds one chunk, not the file. A write waits while the store is
 * behind (backpressure), and fails at once if the store failed.
 */
export class StorageWriter {
  private readonly stream = new PassThrough();
  private readonly stored: Promise<StoredFile>;
  private failed: unknown = null;

  constructor(storage: FileStorage, key: string) {
    this.stored = storage.put(key, this.stream);
    // Observed here so a failure before end() is never an unhandled rejection; end() rethrows it.
    this.stored.catch((error: unknown) => {
      this.failed = error ?? new Error("storage failed");
    });
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, "drain"), this.stored]);
  }

  async end(): Promise<StoredFile> {
    this.stream.end();
    return this.stored;
  }

  /** Gives up on the file: `put` stores nothing. */
  async abort(error: unknown): Promise<void> {
    this.stream.destroy(error instanceof Error ? error : new Error(String(error)));
    await this.stored.catch(() => {});
  }
}
