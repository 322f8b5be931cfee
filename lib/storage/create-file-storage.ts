import type { Env } from "@/core/config/env";
import type { FileStorage } from "./file-storage";
import { LocalFileStorage } from "./local-file-storage";
import { S3FileStorage } from "./s3/s3-file-storage";
import { s3Options } from "./s3/s3-options";

/** S3-compatible storage when S3_BUCKET is set; otherwise the local directory under .data/. */
export function createFileStorage(env: Env = process.env): FileStorage {
  const s3 = s3Options(env);
  return s3 ? new S3FileStorage(s3) : new LocalFileStorage();
}
