import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorageKey } from "@/lib/storage/file-storage";
import { S3_PART_BYTES, S3FileStorage } from "@/lib/storage/s3/s3-file-storage";
import type { S3Options } from "@/lib/storage/s3/s3-options";
import { FileExistsError, FileTooLargeError, StorageError } from "@/lib/storage/storage-error";
import { type FakeS3, startFakeS3 } from "@/test/fakes/fake-s3";
import { rejectionOf } from "@/test/support/rejection";

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3();
});
afterAll(() => fake.stop());

const options = (overrides: Partial<S3Options> = {}): S3Options => ({
  bucket: "uploads",
  endpoint: fake.url,
  region: fake.region,
  accessKeyId: fake.accessKeyId,
  secretAccessKey: fake.secretAccessKey,
  ...overrides,
});

/** `bytes` of deterministic data in 64 KiB chunks from a generator: a stream whose length nobody knows up front. */
async function* generated(bytes: number): AsyncGenerator<Buffer> {
  const chunk = 64 * 1024;
  for (let at = 0; at < bytes; at += chunk) {
    const size = Math.min(chunk, bytes - at);
    yield Buffer.alloc(size, at / chunk);
  }
}

async function sha256Of(source: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of source) hash.update(chunk);
  return hash.digest("hex");
}

const operationsFor = (key: string) => fake.requests.filter((request) => request.path === `/uploads/${key}`).map((request) => request.operation);

const failure = (promise: Promise<unknown>) => rejectionOf(promise, StorageError);

describe("S3FileStorage against the loopback S3", () => {
  it("streams a body longer than a part in multipart parts of S3_PART_BYTES, and reads it back whole", async () => {
    const storage = new S3FileStorage(options());
    const key = createStorageKey("imports", "ws");
    const bytes = 2 * S3_PART_BYTES + 123_457;
    const stored = await storage.put(key, generated(bytes));
    expect(stored).toEqual({ key, bytes, sha256: await sha256Of(generated(bytes)) });
    expect(operationsFor(key)).toEqual(["CreateMultipartUpload", "UploadPart", "UploadPart", "UploadPart", "CompleteMultipartUpload"]);
    expect(fake.objects.get(`uploads/${key}`)?.length).toBe(bytes);
    expect(await sha256Of(await storage.openRead(key))).toBe(stored.sha256);
    expect(await storage.withLocalPath(key, async (file) => fs.statSync(file).size)).toBe(bytes);

    // Write-once over multipart: S3 refuses at completion (412), the object stays, no upload is left.
    const again = await storage.put(key, generated(bytes + 1), { ifAbsent: true }).catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(FileExistsError);
    expect(fake.objects.get(`uploads/${key}`)?.length).toBe(bytes);
    expect(operationsFor(key).slice(-2)).toEqual(["CompleteMultipartUpload", "AbortMultipartUpload"]);
    expect(fake.uploads.size).toBe(0);
  });

  it("sends a body under one part as a single PutObject (a web stream of unknown length)", async () => {
    const storage = new S3FileStorage(options());
    const key = createStorageKey("imports", "ws");
    const body = new Blob(["email\n", "ann@example.com\n"]).stream();
    expect(await storage.put(key, body)).toMatchObject({ key, bytes: 22 });
    expect(operationsFor(key)).toEqual(["PutObject"]);
    expect(fake.objects.get(`uploads/${key}`)?.toString()).toBe("email\nann@example.com\n");
  });

  it("aborts the multipart upload when the body crosses the cap after parts went out: no object, no parts left", async () => {
    const storage = new S3FileStorage(options());
    const key = createStorageKey("imports", "ws");
    const maxBytes = 2 * S3_PART_BYTES + 1024;
    await expect(storage.put(key, generated(4 * S3_PART_BYTES), { maxBytes })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(operationsFor(key)).toEqual(expect.arrayContaining(["CreateMultipartUpload", "UploadPart", "AbortMultipartUpload"]));
    expect(operationsFor(key)).not.toContain("CompleteMultipartUpload");
    expect(fake.objects.has(`uploads/${key}`)).toBe(false);
    expect([...fake.uploads.values()].filter((upload) => upload.key === key)).toEqual([]);
  });

  it("deletes an object; deleting again is not an error", async () => {
    const storage = new S3FileStorage(options());
    const key = createStorageKey("imports", "ws");
    await storage.put(key, Readable.from([Buffer.from("x")]));
    await storage.delete(key);
    await storage.delete(key);
    expect(fake.objects.has(`uploads/${key}`)).toBe(false);
    expect(operationsFor(key)).toEqual(["PutObject", "DeleteObject", "DeleteObject"]);
  });

  it("answers a missing object with the not-found kind", async () => {
    const error = await failure(new S3FileStorage(options()).openRead(createStorageKey("imports", "ws")));
    expect(error.kind).toBe("not-found");
  });

  it.each([
    ["a wrong secret (SignatureDoesNotMatch)", { secretAccessKey: "wrong-secret-1234567890" }],
    ["an unknown access key (InvalidAccessKeyId)", { accessKeyId: "AKIAWRONGWRONGWRONG" }],
    ["a bucket that does not exist (NoSuchBucket)", { bucket: "not-our-bucket" }],
  ])("refuses %s with the denied kind, its message free of keys, secrets and SDK text", async (_case, overrides) => {
    const storage = new S3FileStorage(options(overrides));
    const key = createStorageKey("imports", "ws");
    for (const attempt of [() => storage.put(key, Readable.from([Buffer.from("x")])), () => storage.openRead(key), () => storage.delete(key)]) {
      const error = await failure(attempt());
      expect(error.kind).toBe("denied");
      for (const secret of [fake.secretAccessKey, fake.accessKeyId, "wrong-secret", "AKIAWRONG", "not-our-bucket", key, "signature", "Signature"]) {
        expect(error.message).not.toContain(secret);
      }
      expect(error.stack ?? "").not.toContain("wrong-secret");
    }
    expect(fake.objects.has(`uploads/${key}`)).toBe(false);
  });

  it("answers a store that is down with the unavailable kind", async () => {
    const down = await startFakeS3();
    await down.stop();
    const storage = new S3FileStorage(options({ endpoint: down.url }));
    const key = createStorageKey("imports", "ws");
    for (const attempt of [() => storage.put(key, Readable.from([Buffer.from("x")])), () => storage.openRead(key), () => storage.delete(key)]) {
      const error = await failure(attempt());
      expect(error.kind).toBe("unavailable");
      expect(error.message).not.toContain(down.url);
    }
  });

  it("goes where S3_ENDPOINT says, whatever AWS_ENDPOINT_URL in the environment says", async () => {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
    try {
      const storage = new S3FileStorage(options({ region: fake.region, secretAccessKey: fake.secretAccessKey }));
      const key = createStorageKey("imports", "ws");
      await storage.put(key, Readable.from([Buffer.from("x")]));
      expect(fake.objects.has(`uploads/${key}`)).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });
});
