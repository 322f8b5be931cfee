import { describe, expect, it } from "vitest";
import { s3StorageError } from "@/lib/storage/s3/s3-storage-error";
import { FileTooLargeError, isStorageOutage, StorageError } from "@/lib/storage/storage-error";

/** An error shaped as the SDK throws them: the S3 code as `name`, the status in `$metadata`. */
const sdkError = (name: string, status?: number, message = `${name}: bucket secret-bucket key imports/x`) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, $metadata: { attempts: 3 } });

describe("s3StorageError", () => {
  it.each([
    [sdkError("NoSuchKey", 404), "not-found"],
    [sdkError("NotFound", 404), "not-found"],
    [sdkError("Unknown", 404), "not-found"],
    [sdkError("NoSuchBucket", 404), "denied"],
    [sdkError("SignatureDoesNotMatch", 403), "denied"],
    [sdkError("InvalidAccessKeyId", 403), "denied"],
    [sdkError("AccessDenied", 403), "denied"],
    [sdkError("ExpiredToken", 400), "denied"],
    [sdkError("Forbidden", 403), "denied"],
    [sdkError("SlowDown", 503), "unavailable"],
    [sdkError("InternalError", 500), "unavailable"],
    [sdkError("Unknown", 502), "unavailable"],
    [sdkError("RequestTimeout", 400), "unavailable"],
    [sdkError("TimeoutError"), "unavailable"],
    [networkError("ECONNREFUSED"), "unavailable"],
    [networkError("ECONNRESET"), "unavailable"],
    [networkError("ENOTFOUND"), "unavailable"],
    [sdkError("NoSuchUpload", 404), "failed"],
    [sdkError("EntityTooSmall", 400), "failed"],
    [new TypeError("something else"), "failed"],
  ])("%s → %s", (error, kind) => {
    const mapped = s3StorageError(error);
    expect(mapped).toBeInstanceOf(StorageError);
    expect(mapped.kind).toBe(kind);
    expect(mapped.cause).toBe(error);
    for (const detail of ["secret-bucket", "imports/x", "10.0.0.1", error.name]) expect(mapped.message).not.toContain(detail);
  });

  it("keeps a StorageError as it is", () => {
    const tooLarge = new FileTooLargeError(10);
    expect(s3StorageError(tooLarge)).toBe(tooLarge);
  });

  it.each([
    ["unavailable", true],
    ["denied", true],
    ["not-found", false],
    ["too-large", false],
    ["failed", false],
  ] as const)("isStorageOutage(%s) is %s", (kind, outage) => {
    expect(isStorageOutage(new StorageError(kind, "x"))).toBe(outage);
  });
});
