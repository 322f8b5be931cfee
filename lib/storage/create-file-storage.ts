import type { FileStorage } from "./file-storage";
import { LocalFileStorage } from "./local-file-storage";
import { S3FileStorage } from "./s3-file-storage";

/** S3-compatible storage when S3_BUCKET is set; otherwise the local directory under .data/. */
export function createFileStorage(env: Record<string, string | undefined> = process.env): FileStorage {
  if (env.S3_BUCKET) {
    const missing = ["S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].filter((name) => !env[name]);
    if (missing.length > 0) throw new Error(`S3_BUCKET is set but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not`);
    return new S3FileStorage({
      bucket: env.S3_BUCKET,
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION!,
      accessKeyId: env.S3_ACCESS_KEY_ID!,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    });
  }
  return new LocalFileStorage();
}
