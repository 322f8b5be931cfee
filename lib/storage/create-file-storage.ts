import { ConfigError, type Env, envValue } from "@/core/config/env";
import type { FileStorage } from "./file-storage";
import { LocalFileStorage } from "./local-file-storage";
import { S3FileStorage } from "./s3-file-storage";

/** S3-compatible storage when S3_BUCKET is set; otherwise the local directory under .data/. */
export const S3_REQUIRED_VARIABLES = ["S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

export function createFileStorage(env: Env = process.env): FileStorage {
  const bucket = envValue("S3_BUCKET", env);
  if (!bucket) return new LocalFileStorage();
  const missing = S3_REQUIRED_VARIABLES.filter((name) => !envValue(name, env));
  if (missing.length > 0) throw new ConfigError(`S3_BUCKET is set but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not`, missing[0]!);
  return new S3FileStorage({
    bucket,
    endpoint: envValue("S3_ENDPOINT", env),
    region: envValue("S3_REGION", env)!,
    accessKeyId: envValue("S3_ACCESS_KEY_ID", env)!,
    secretAccessKey: envValue("S3_SECRET_ACCESS_KEY", env)!,
  });
}
