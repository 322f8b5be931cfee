import { FileExistsError, StorageError } from "@/lib/storage/storage-error";

type SdkErrorLike = { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } };

/** S3 error codes that mean our credentials, permissions or bucket are wrong: settings to fix, not to retry. */
const DENIED_CODES = new Set([
  "AccessDenied",
  "AllAccessDisabled",
  "AccountProblem",
  "ExpiredToken",
  "InvalidAccessKeyId",
  "InvalidToken",
  "NoSuchBucket",
  "SignatureDoesNotMatch",
]);
const NOT_FOUND_CODES = new Set(["NoSuchKey", "NotFound"]);
/** Codes S3 answers when it is overloaded or a request was too slow; retrying later helps. */
const UNAVAILABLE_CODES = new Set(["InternalError", "RequestTimeout", "ServiceUnavailable", "SlowDown", "TimeoutError"]);
/** Node's and the SDK's ways of saying no answer came at all. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ETIMEDOUT"]);

/**
 * An AWS SDK (or lib-storage) failure as a StorageError. The SDK's message, which can quote the
 * request, the bucket or the key, is kept only as the cause; the kind comes from the S3 error
 * code, the HTTP status, or a network error code.
 */
export function s3StorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const { name, code, $metadata } = (typeof error === "object" && error !== null ? error : {}) as SdkErrorLike;
  const status = typeof $metadata?.httpStatusCode === "number" ? $metadata.httpStatusCode : undefined;
  const errorCode = typeof name === "string" ? name : "";
  if (errorCode === "PreconditionFailed" || status === 412) return new FileExistsError({ cause: error });
  if (NOT_FOUND_CODES.has(errorCode) || (status === 404 && !DENIED_CODES.has(errorCode) && errorCode !== "NoSuchUpload")) {
    return new StorageError("not-found", "The stored file is missing.", { cause: error });
  }
  if (DENIED_CODES.has(errorCode) || status === 401 || status === 403) {
    return new StorageError("denied", "File storage refused access: its configuration needs fixing.", { cause: error });
  }
  const unreachable = typeof code === "string" && NETWORK_CODES.has(code);
  if (unreachable || UNAVAILABLE_CODES.has(errorCode) || status === 408 || status === 429 || (status !== undefined && status >= 500)) {
    return new StorageError("unavailable", "File storage is unavailable; try again later.", { cause: error });
  }
  return new StorageError("failed", "File storage could not complete the request.", { cause: error });
}
