import { ConfigError, type Env, envValue } from "@/core/config/env";

/** What S3_BUCKET needs beside it (S3_ENDPOINT is optional: unset means AWS itself). */
export const S3_REQUIRED_VARIABLES = ["S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

export type S3Options = {
  bucket: string;
  /**
   * An S3-compatible service (MinIO, R2, …), e.g. http://127.0.0.1:9000; addressed path-style
   * (`<endpoint>/<bucket>/<key>`), which every such service serves. Unset: AWS S3,
   * virtual-hosted style.
   */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

/**
 * The S3 settings, or null when S3_BUCKET is unset (files stay on local disk). A bucket without
 * its region or keys is a ConfigError naming what is missing, never a silent fall-back to disk.
 */
export function s3Options(env: Env = process.env): S3Options | null {
  const bucket = envValue("S3_BUCKET", env);
  if (!bucket) return null;
  const missing = S3_REQUIRED_VARIABLES.filter((name) => !envValue(name, env));
  if (missing.length > 0) throw new ConfigError(`S3_BUCKET is set but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not`, missing[0]!);
  return {
    bucket,
    endpoint: envValue("S3_ENDPOINT", env),
    region: envValue("S3_REGION", env)!,
    accessKeyId: envValue("S3_ACCESS_KEY_ID", env)!,
    secretAccessKey: envValue("S3_SECRET_ACCESS_KEY", env)!,
  };
}
