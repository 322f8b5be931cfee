import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";

export type StoredFile = { key: string; bytes: number; sha256: string };

export type PutOptions = { maxBytes?: number; ifAbsent?: boolean };

/** What `put` accepts: a web stream (a Request body) or any async iterable of bytes (a Node stream). */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Where uploaded files live: a local directory by default (local-file-storage.ts), S3-compatible
 * storage when configured (s3/). Keys are always made by `createStorageKey`, never taken from a
 * user. The store's failures surface as StorageError (storage-error.ts), never as a backend's
 * own error; what the body's source or `withLocalPath`'s `fn` throws passes through unchanged.
 */
export interface FileStorage {
  /**
   * Streams `body` to `key`, hashing and counting as it goes; over `maxBytes` aborts with
   * FileTooLargeError and stores nothing. With `ifAbsent` a file already at `key` is kept and the
   * call fails with FileExistsError (write-once files: of two writers, the first one wins).
   */
  put(key: string, body: ByteSource, options?: PutOptions): Promise<StoredFile>;
  /**
   * A missing key fails with kind `not-found`. `start` skips that many bytes at the store (a
   * file offset locally, an HTTP Range on S3), so a reader resuming deep in a big file never
   * reads what lies before it.
   */
  openRead(key: string, options?: { start?: number }): Promise<Readable>;
  /**
   * Runs `fn` with a local path to the file (the import readers need one). Local storage hands
   * out its own path; S3 downloads to a temp file first and deletes it afterwards.
   */
  withLocalPath<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
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
