import fs from "node:fs";
import { z } from "zod";
import { ConfigError } from "@/core/config/env";

/** The fields of a Google service account key file that FCM's HTTP v1 API needs. */
const serviceAccountSchema = z.object({
  type: z.literal("service_account"),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1).optional(),
  private_key: z.string().includes("PRIVATE KEY"),
  client_email: z.string().min(1),
  token_uri: z.url({ protocol: /^https?$/ }).optional(),
});

export type FcmServiceAccount = z.infer<typeof serviceAccountSchema>;

/**
 * FCM_SERVICE_ACCOUNT as given: the key file's JSON itself (what a secret store holds), or a path
 * to the file. The error names the field that is wrong, never a value of it.
 */
export function parseFcmServiceAccount(value: string): FcmServiceAccount {
  const text = value.trimStart().startsWith("{") ? value : readKeyFile(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError("FCM_SERVICE_ACCOUNT is not a service account key (JSON, or a path to the JSON file)", "FCM_SERVICE_ACCOUNT");
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))].join(", ");
    throw new ConfigError(`FCM_SERVICE_ACCOUNT is not a usable service account key (check ${fields})`, "FCM_SERVICE_ACCOUNT");
  }
  return parsed.data;
}

function readKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    throw new ConfigError("FCM_SERVICE_ACCOUNT names a file that cannot be read", "FCM_SERVICE_ACCOUNT");
  }
}
