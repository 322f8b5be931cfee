import { Readable } from "node:stream";
import busboy from "busboy";
import { EMAIL_IMAGE_MAX_INPUT_BYTES } from "@/core/assets/email-image-rules";
import { importFileName } from "@/lib/imports/import-file-name";
import { ImageRefusedError } from "./image-refused-error";

/** The file part and at most this much framing around it. */
export const IMAGE_UPLOAD_OVERHEAD_BYTES = 64 * 1024;

export type ImageUpload = { file: { fileName: string; bytes: Buffer } | null; problems: Record<string, string[]> };

const tooLarge = () => new ImageRefusedError("too-large", `The image is larger than ${EMAIL_IMAGE_MAX_INPUT_BYTES / (1024 * 1024)} MB.`);

/**
 * Reads a multipart/form-data request with one part, `file`, into memory: images are small
 * enough (EMAIL_IMAGE_MAX_INPUT_BYTES) to hold, and sharp wants the whole buffer anyway. A
 * declared or streamed body past the cap throws ImageRefusedError `too-large` and stops reading
 * there, so a client sending a gigabyte is answered after ten megabytes.
 */
export async function readImageUpload(request: Request): Promise<ImageUpload> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > EMAIL_IMAGE_MAX_INPUT_BYTES + IMAGE_UPLOAD_OVERHEAD_BYTES) throw tooLarge();
  const contentType = request.headers.get("content-type") ?? "";
  if (!request.body || !/^multipart\/form-data\b/i.test(contentType)) {
    return { file: null, problems: { "(body)": ["must be multipart/form-data with a `file` part"] } };
  }
  const problems: Record<string, string[]> = {};
  const problem = (field: string, message: string) => (problems[field] ??= []).push(message);
  let file: ImageUpload["file"] = null;
  const parser = busboy({ headers: { "content-type": contentType }, limits: { files: 1, fileSize: EMAIL_IMAGE_MAX_INPUT_BYTES + 1, fields: 5, fieldSize: 1024, parts: 6 } });
  const source = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on("file", (name, stream, info) => {
        if (name !== "file") {
          problem(name, "is not a known field");
          stream.resume();
          return;
        }
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("limit", () => reject(tooLarge()));
        stream.on("end", () => {
          file = { fileName: importFileName(info.filename), bytes: Buffer.concat(chunks) };
        });
      });
      parser.on("field", (name) => problem(name, "is not a known field"));
      parser.on("filesLimit", () => problem("file", "must be a single file"));
      parser.on("error", reject);
      parser.on("close", resolve);
      source.on("error", reject);
      source.pipe(parser);
    });
  } catch (error) {
    source.unpipe(parser);
    source.destroy();
    if (error instanceof ImageRefusedError) throw error;
    if (error instanceof Error && /Unexpected end of form|Malformed part header|Boundary not found/i.test(error.message)) {
      return { file: null, problems: { "(body)": [`is not valid multipart/form-data: ${error.message}`] } };
    }
    throw error;
  }
  const read = file as ImageUpload["file"];
  if (!read || read.bytes.length === 0) problem("file", "is required: an image (JPEG, PNG, GIF or WebP)");
  return { file: read && read.bytes.length > 0 ? read : null, problems };
}
