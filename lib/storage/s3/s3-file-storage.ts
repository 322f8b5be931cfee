import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DeleteObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { ByteMeter } from "@/lib/storage/byte-meter";
import { assertStorageKey, type ByteSource, type FileStorage, type PutOptions, type StoredFile } from "@/lib/storage/file-storage";
import type { S3Options } from "./s3-options";
import { s3StorageError } from "./s3-storage-error";

/**
 * Multipart part size. The body's length is unknown until it ends, so lib-storage buffers one
 * part at a time and sends a body under one part as a plain PutObject; 8 MiB keeps a 100 MB
 * import file to 13 parts (S3's floor is 5 MiB, its ceiling 10,000 parts).
 */
export const S3_PART_BYTES = 8 * 1024 * 1024;
/** Parts uploading at once per file: memory per upload is about (this + 1) × S3_PART_BYTES. */
const S3_PARTS_IN_FLIGHT = 2;
/** A store that does not accept the connection in this long is down; the SDK retries twice. */
const S3_CONNECT_TIMEOUT_MS = 5_000;
/** A connection silent this long (no byte either way) is dropped and the request retried. */
const S3_SOCKET_IDLE_TIMEOUT_MS = 60_000;

/**
 * One client per configuration and process: a client keeps a pool of keep-alive connections,
 * and the factory builds a storage per request or step.
 */
const clients = new Map<string, S3Client>();

function clientFor(options: S3Options): S3Client {
  const id = JSON.stringify([options.endpoint, options.region, options.accessKeyId, options.secretAccessKey]);
  let client = clients.get(id);
  if (!client) {
    client = new S3Client({
      region: options.region,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      // Our settings alone decide where files go: never AWS_ENDPOINT_URL* from the environment.
      ignoreConfiguredEndpointUrls: true,
      // Checksums only where S3 demands them: the SDK's default (a CRC32 on every upload, and
      // validating every download's) is refused or mishandled by some S3-compatible stores,
      // and `put` already hashes the whole file (sha256) for the import's record.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: { connectionTimeout: S3_CONNECT_TIMEOUT_MS, socketTimeout: S3_SOCKET_IDLE_TIMEOUT_MS },
    });
    clients.set(id, client);
  }
  return client;
}

/**
 * S3-compatible storage through the AWS SDK. Uploads stream in multipart parts as they arrive
 * (no spooling to disk, whatever the length); a body over the cap, or any failure, aborts the
 * multipart upload so no part is kept (a bucket lifecycle rule sweeps what a crash leaves, see
 * docs/deploy.md).
 */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.client = clientFor(options);
  }

  async put(key: string, body: ByteSource, options: PutOptions = {}): Promise<StoredFile> {
    assertStorageKey(key);
    const meter = new ByteMeter(options.maxBytes);
    const source = Readable.from(meter.pass(body));
    const upload = new Upload({
      client: this.client,
      // If-None-Match: * makes S3 refuse (412) to complete the object when the key exists.
      params: { Bucket: this.options.bucket, Key: key, Body: source, ...(options.ifAbsent ? { IfNoneMatch: "*" } : {}) },
      partSize: S3_PART_BYTES,
      queueSize: S3_PARTS_IN_FLIGHT,
    });
    try {
      await upload.done();
    } catch (error) {
      source.destroy();
      throw meter.isBodyError(error) ? error : s3StorageError(error);
    }
    return { key, ...meter.result() };
  }

  async openRead(key: string, options: { start?: number } = {}): Promise<Readable> {
    assertStorageKey(key);
    const range = options.start ? `bytes=${options.start}-` : undefined;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key, Range: range }));
      // In Node the SDK's body is the HTTP response itself, a Readable.
      return object.Body as Readable;
    } catch (error) {
      throw s3StorageError(error);
    }
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
      const object = await this.openRead(key);
      await pipeline(object, fs.createWriteStream(file)).catch((error: unknown) => {
        throw s3StorageError(error);
      });
      return await fn(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
    } catch (error) {
      const failure = s3StorageError(error);
      // S3 answers 204 for a missing key; a compatible store that answers 404 means the same.
      if (failure.kind !== "not-found") throw failure;
    }
  }
}
