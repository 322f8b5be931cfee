import { Readable } from "node:stream";
import busboy from "busboy";
import type { FileStorage, StoredFile } from "@/lib/storage/file-storage";
import { FileTooLargeError } from "@/lib/storage/storage-error";
import { importFileName } from "./import-file-name";

/** Form fields besides the file: a handful of short values. */
const FIELD_MAX_BYTES = 64 * 1024;
const FIELDS_MAX = 20;

export type MultipartUpload = {
  fields: Record<string, string>;
  /** The stored file part named `fileField`, if one came. */
  file: (StoredFile & { fileName: string }) | null;
  /** Problems found while reading, keyed by field (as API field errors). */
  problems: Record<string, string[]>;
};

export class UploadTooLargeError extends Error {
  override readonly name = "UploadTooLargeError";
}

/**
 * Reads a multipart/form-data request as it arrives: the file part is streamed straight into
 * storage (hashed, counted and capped at `maxBytes` on the way), the other parts are collected
 * as short strings. Nothing is buffered whole — `request.formData()` would hold a 100 MB upload
 * in memory. On any failure the stored file is deleted.
 */
export async function readMultipartUpload(
  request: Request,
  options: { storage: FileStorage; key: string; fileField: string; maxBytes: number },
): Promise<MultipartUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!request.body || !/^multipart\/form-data\b/i.test(contentType)) {
    return { fields: {}, file: null, problems: { "(body)": ["must be multipart/form-data with a file part"] } };
  }
  const fields: Record<string, string> = {};
  const problems: Record<string, string[]> = {};
  const problem = (field: string, message: string) => (problems[field] ??= []).push(message);
  let stored: Promise<(StoredFile & { fileName: string }) | null> = Promise.resolve(null);

  const parser = busboy({
    headers: { "content-type": contentType },
    // One byte over the cap so the storage layer sees the overflow and aborts the file.
    limits: { files: 1, fileSize: options.maxBytes + 1, fields: FIELDS_MAX, fieldSize: FIELD_MAX_BYTES, parts: FIELDS_MAX + 1 },
  });
  const source = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  const done = new Promise<void>((resolve, reject) => {
    parser.on("file", (name, stream, info) => {
      if (name !== options.fileField) {
        problem(name, "is not a known field");
        stream.resume();
        return;
      }
      const fileName = importFileName(info.filename);
      // busboy stops passing bytes at the cap; stop reading the request right there too.
      stream.on("limit", () => {
        source.unpipe(parser);
        source.destroy();
        stream.destroy(); // ends storage.put, which removes its partial file
        reject(new FileTooLargeError(options.maxBytes));
      });
      stored = options.storage
        .put(options.key, stream, { maxBytes: options.maxBytes })
        .then((file) => ({ ...file, fileName }))
        .catch((error: unknown) => {
          // Stop reading the request at once: a client sending 1 GB gets its answer after 100 MB.
          reject(error);
          throw error;
        });
      // Awaited below; this only keeps the rejection from being reported as unhandled meanwhile.
      stored.catch(() => {});
    });
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) problem(name, `is longer than ${FIELD_MAX_BYTES} bytes`);
      else if (name in fields) problem(name, "is given more than once");
      else fields[name] = value;
    });
    parser.on("filesLimit", () => problem(options.fileField, "must be a single file"));
    parser.on("fieldsLimit", () => problem("(body)", `has more than ${FIELDS_MAX} fields`));
    parser.on("partsLimit", () => problem("(body)", `has more than ${FIELDS_MAX + 1} parts`));
    parser.on("error", reject);
    parser.on("close", resolve);
    source.on("error", reject);
  });
  source.pipe(parser);

  try {
    await done;
    const file = await stored;
    return { fields, file, problems };
  } catch (error) {
    source.destroy();
    await stored.catch(() => {});
    await options.storage.delete(options.key).catch(() => {});
    if (error instanceof FileTooLargeError) throw new UploadTooLargeError(error.message);
    if (error instanceof Error && /Unexpected end of form|Malformed part header|Multipart: Boundary not found/i.test(error.message)) {
      return { fields, file: null, problems: { "(body)": [`is not valid multipart/form-data: ${error.message}`] } };
    }
    throw error;
  }
}
