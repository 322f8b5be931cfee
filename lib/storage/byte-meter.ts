import { createHash } from "node:crypto";
import type { ByteSource } from "./file-storage";
import { FileTooLargeError } from "./storage-error";

async function* bytesOf(body: ByteSource): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in body) {
    yield* body as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Counts and hashes a body as it streams through to a backend, and stops it at the size cap:
 * the chunk that crosses `maxBytes` throws FileTooLargeError before it is passed on, so a
 * backend never receives more than the cap. Every backend's `put` reads its body through one.
 */
export class ByteMeter {
  private readonly hash = createHash("sha256");
  private counted = 0;
  private bodyError: unknown;

  constructor(private readonly maxBytes?: number) {}

  async *pass(body: ByteSource): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of bytesOf(body)) {
        this.counted += chunk.byteLength;
        if (this.maxBytes !== undefined && this.counted > this.maxBytes) throw new FileTooLargeError(this.maxBytes);
        this.hash.update(chunk);
        yield chunk;
      }
    } catch (error) {
      this.bodyError = error;
      throw error;
    }
  }

  /**
   * Whether `error` came from the body (its source failed, or it crossed the cap) rather than
   * from the store: a backend passes those through as they are and maps only its own failures.
   */
  isBodyError(error: unknown): boolean {
    return this.bodyError !== undefined && error === this.bodyError;
  }

  /** Read once the body has been passed through in full. */
  result(): { bytes: number; sha256: string } {
    return { bytes: this.counted, sha256: this.hash.digest("hex") };
  }
}
