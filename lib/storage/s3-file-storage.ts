import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertStorageKey, type ByteSource, type FileStorage, type StoredFile } from "./file-storage";
import { LocalFileStorage } from "./local-file-storage";
import { signS3Request, UNSIGNED_PAYLOAD, uriEncode } from "./sigv4";

export type S3Options = {
  bucket: string;
  /** e.g. http://127.0.0.1:9000 for MinIO; path-style addressing. Default: AWS virtual-hosted. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

/**
 * S3-compatible storage over plain HTTP(S) with SigV4 (PUT, GET, DELETE object is all we use;
 * the AWS SDK would add dozens of packages for that). Uploads are spooled to a temp file first:
 * S3 needs Content-Length up front, the upload's length is unknown until it ends, and the spool
 * also enforces the size cap before anything reaches the bucket.
 */
export class S3FileStorage implements FileStorage {
  constructor(private readonly options: S3Options) {}

  private target(key: string): { url: URL; path: string } {
    assertStorageKey(key);
    const encodedKey = uriEncode(key, true);
    if (this.options.endpoint) {
      const base = new URL(this.options.endpoint);
      const prefix = base.pathname.replace(/\/+$/, "");
      const objectPath = `${prefix}/${uriEncode(this.options.bucket, false)}/${encodedKey}`;
      return { url: new URL(objectPath, base), path: objectPath };
    }
    const url = new URL(`https://${this.options.bucket}.s3.${this.options.region}.amazonaws.com/${encodedKey}`);
    return { url, path: `/${encodedKey}` };
  }

  private request(method: "PUT" | "GET" | "DELETE", key: string, body?: { stream: Readable; bytes: number }): Promise<http.IncomingMessage> {
    const { url, path: objectPath } = this.target(key);
    const headers = signS3Request({
      method,
      host: url.host,
      path: objectPath,
      headers: body ? { "content-length": String(body.bytes) } : {},
      payloadHash: UNSIGNED_PAYLOAD,
      credentials: this.options,
    });
    const transport = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method, headers }, resolve);
      request.on("error", reject);
      if (body) body.stream.on("error", reject).pipe(request);
      else request.end();
    });
  }

  private async expectOk(response: http.IncomingMessage, what: string, allow404 = false): Promise<void> {
    const status = response.statusCode ?? 0;
    if ((status >= 200 && status < 300) || (allow404 && status === 404)) return;
    let text = "";
    for await (const chunk of response) text += String(chunk);
    throw new Error(`S3 ${what} failed with ${status}: ${text.slice(0, 300)}`);
  }

  async put(key: string, body: ByteSource, options: { maxBytes?: number } = {}): Promise<StoredFile> {
    const spoolDir = await mkdtemp(path.join(os.tmpdir(), "sendline-s3-put-"));
    try {
      const spool = new LocalFileStorage(spoolDir);
      const stored = await spool.put(key, body, options);
      const response = await spool.withLocalPath(key, async (file) =>
        this.request("PUT", key, { stream: fs.createReadStream(file), bytes: (await stat(file)).size }),
      );
      await this.expectOk(response, `PUT ${key}`);
      response.resume();
      return stored;
    } finally {
      await rm(spoolDir, { recursive: true, force: true });
    }
  }

  async openRead(key: string): Promise<Readable> {
    const response = await this.request("GET", key);
    await this.expectOk(response, `GET ${key}`);
    return response.pipe(new PassThrough());
  }

  /**
   * Cost: every call downloads the whole object (an import chunk step reads its file this way,
   * so an S3 import moves the file once per chunk: 200 × 100 MB at most). Steps may run on
   * different machines, so there is no shared cache to lean on.
   */
  async withLocalPath<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "sendline-s3-get-"));
    const file = path.join(dir, "object");
    try {
      await pipeline(await this.openRead(key), fs.createWriteStream(file));
      return await fn(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async delete(key: string): Promise<void> {
    const response = await this.request("DELETE", key);
    await this.expectOk(response, `DELETE ${key}`, true);
    response.resume();
  }
}
