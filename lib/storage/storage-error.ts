/**
 * What a storage failure means for the caller, whichever backend it came from:
 * - `not-found`: no object under that key (a deleted or never-stored file);
 * - `too-large`: the body passed the size cap while streaming, and nothing was kept;
 * - `denied`: the store refused our credentials or permissions, or the bucket is missing
 *   (a configuration problem: retrying will not help until someone fixes the settings);
 * - `unavailable`: the store could not be reached or answered with a server error or timeout
 *   (retrying later may help);
 * - `exists`: a write-once put (`ifAbsent`) found a file already at the key, and kept it;
 * - `failed`: anything else the store refused.
 */
export type StorageErrorKind = "not-found" | "too-large" | "denied" | "unavailable" | "exists" | "failed";

/**
 * A storage failure in words a user may read: the message never carries an SDK's text, a key,
 * a bucket or a stack. The backend's own error, if any, is the `cause` (for the logs only).
 */
export class StorageError extends Error {
  override readonly name: string = "StorageError";
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The one kind callers branch on by class: the upload forms answer it as a field error. */
export class FileTooLargeError extends StorageError {
  override readonly name: string = "FileTooLargeError";
  constructor(readonly maxBytes: number) {
    super("too-large", `The file is larger than ${maxBytes} bytes.`);
  }
}

/** A write-once put found the key taken: the file there stays as it was. */
export class FileExistsError extends StorageError {
  override readonly name: string = "FileExistsError";
  constructor(options?: { cause?: unknown }) {
    super("exists", "A file is already stored under that key.", options);
  }
}

/** Storage that cannot take or give files right now, whether down or misconfigured: an API answers 503. */
export function isStorageOutage(error: unknown): error is StorageError {
  return error instanceof StorageError && (error.kind === "unavailable" || error.kind === "denied");
}
