import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";

export type StoredFile = { key: string; bytes: number; sha256: string };

/** What `put` accepts: a web stream (a Request body) or any async iterable of bytes (a Node stream). */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Where uploaded files live: a local directory by default, S3-compatible storage when
 * configured. Keys are always made by `createStorageKey`, never taken from a user.
 */
export interface FileStorage {
  /** Streams `body` to `key`, hashing and counting as it goes; over `maxBytes` aborts and stores nothing. */
  put(key: string, body: ByteSource, options?: { maxBytes?: number }): Promise<StoredFile>;
  openRead(key: string): Promise<Readable>;
  /**
   * Runs `fn` with a local path to the file (the import readers need one). Local storage hands
   * out its own path; S3 downloads to a temp file first and deletes it afterwards.
   */
  withLocalPath<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export class FileTooLargeError extends Error {
  override readonly name = "FileTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes.`);
  }
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)*$/;

/** "imports/<workspace>/<uuid>": lower-case segments only, so a key can never climb out of its root. */
export function createStorageKey(...segments: string[]): string {
  const key = [...segments, randomUUID()].join("/").toLowerCase();
  assertStorageKey(key);
  return key;
}

export function assertStorageKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.length > 512) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

export async function* bytesOf(body: ByteSource): AsyncGenerator<Uint8Array> {
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
