import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createStorageKey, type FileStorage, FileTooLargeError } from "@/lib/storage/file-storage";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { S3FileStorage } from "@/lib/storage/s3-file-storage";
import { signS3Request } from "@/lib/storage/sigv4";

const CREDENTIALS = { accessKeyId: "test-key", secretAccessKey: "test-secret", region: "eu-west-1" };

/** A loopback S3: PUT/GET/DELETE object, path-style, refusing any request whose SigV4 does not verify. */
async function startFakeS3() {
  const objects = new Map<string, Buffer>();
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const date = String(request.headers["x-amz-date"] ?? "");
    const now = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    const signedNames = /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))?.[1]?.split(";") ?? [];
    const signed = Object.fromEntries(
      signedNames.filter((name) => !["host", "x-amz-date", "x-amz-content-sha256"].includes(name)).map((name) => [name, String(request.headers[name])]),
    );
    const expected = signS3Request({
      method: request.method!,
      host: request.headers.host!,
      path: request.url!,
      headers: signed,
      payloadHash: String(request.headers["x-amz-content-sha256"]),
      credentials: CREDENTIALS,
      now,
    });
    if (Number.isNaN(now.getTime()) || expected.authorization !== request.headers.authorization) {
      response.writeHead(403).end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
      return;
    }
    const key = request.url!;
    if (request.method === "PUT") {
      objects.set(key, Buffer.concat(chunks));
      response.writeHead(200).end();
    } else if (request.method === "GET") {
      const object = objects.get(key);
      if (object) response.writeHead(200, { "content-length": object.length }).end(object);
      else response.writeHead(404).end("<Error><Code>NoSuchKey</Code></Error>");
    } else if (request.method === "DELETE") {
      objects.delete(key);
      response.writeHead(204).end();
    } else {
      response.writeHead(405).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, objects, stop: () => new Promise((resolve) => server.close(resolve)) };
}

let fakeS3: Awaited<ReturnType<typeof startFakeS3>>;
const localRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-storage-"));
beforeAll(async () => {
  fakeS3 = await startFakeS3();
});
afterAll(async () => {
  await fakeS3.stop();
  fs.rmSync(localRoot, { recursive: true, force: true });
});

const text = "email\nann@example.com\n".repeat(10_000);
const sha256 = createHash("sha256").update(text).digest("hex");

describe.each([
  ["local", () => new LocalFileStorage(localRoot) as FileStorage],
  ["s3", () => new S3FileStorage({ bucket: "uploads", endpoint: fakeS3.url, ...CREDENTIALS }) as FileStorage],
])("%s storage", (_name, make) => {
  it("stores a stream, hashes it, reads it back by path and stream, and deletes it", async () => {
    const storage = make();
    const key = createStorageKey("imports", "ws");
    const stored = await storage.put(key, Readable.from([Buffer.from(text.slice(0, 1000)), Buffer.from(text.slice(1000))]));
    expect(stored).toEqual({ key, bytes: Buffer.byteLength(text), sha256 });
    expect(await storage.withLocalPath(key, async (file) => fs.readFileSync(file, "utf8"))).toBe(text);
    let read = "";
    for await (const chunk of await storage.openRead(key)) read += String(chunk);
    expect(read).toBe(text);
    await storage.delete(key);
    await storage.delete(key); // idempotent
    await expect(storage.openRead(key)).rejects.toThrow();
  });

  it("refuses a stream over the size cap and keeps nothing", async () => {
    const storage = make();
    const key = createStorageKey("imports", "ws");
    await expect(storage.put(key, new Blob([text]).stream(), { maxBytes: 1000 })).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(storage.openRead(key)).rejects.toThrow();
  });

  it("refusing a body before its file is even open leaves no partial file, now or later", async () => {
    // The first chunk is already over the cap, so the refusal races the partial file's open
    // (once seen on a loaded CI machine as an uncaught ENOENT after the S3 spool was removed).
    const storage = make();
    for (let i = 0; i < 100; i++) {
      await expect(storage.put(createStorageKey("refused", "ws"), Readable.from([Buffer.from(text)]), { maxBytes: 10 })).rejects.toBeInstanceOf(FileTooLargeError);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.readdirSync(localRoot, { recursive: true }).filter((name) => String(name).includes("refused/ws/"))).toEqual([]);
  });

  it("refuses keys that are not generated ones", async () => {
    const storage = make();
    for (const key of ["../etc/passwd", "/abs", "a//b", "UPPER", "a/../b"]) {
      await expect(storage.put(key, Readable.from([Buffer.from("x")]))).rejects.toThrow("invalid storage key");
    }
  });
});

describe("createFileStorage", () => {
  it("is local by default and S3 when S3_BUCKET is set", () => {
    expect(createFileStorage({})).toBeInstanceOf(LocalFileStorage);
    expect(createFileStorage({ S3_BUCKET: "b", S3_REGION: "r", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" })).toBeInstanceOf(S3FileStorage);
    expect(() => createFileStorage({ S3_BUCKET: "b" })).toThrow("S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are not");
  });

  it("rejects a forged S3 signature (the fake really checks)", async () => {
    const storage = new S3FileStorage({ bucket: "uploads", endpoint: fakeS3.url, ...CREDENTIALS, secretAccessKey: "wrong" });
    await expect(storage.put(createStorageKey("x"), Readable.from([Buffer.from("x")]))).rejects.toThrow("403");
  });
});
