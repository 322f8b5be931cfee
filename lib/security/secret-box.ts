import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { dataDir } from "@/core/config/data-dir";
import { persistedDevKey } from "@/lib/config/persisted-dev-key";

/** A key as configured: its id (a digest of the key, never the key) and its 32 bytes. */
export type SecretKey = { id: string; key: Buffer };
/** The configured keys, newest first: `keys[0]` seals, every key opens. */
export type SecretKeys = { keys: SecretKey[] };

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

const VERSION = "v1";
const DEV_KEY_FILE = "encryption-key";
const IV_BYTES = 12;

const keyOf = (name: string, encoded: string): SecretKey => {
  const key = Buffer.from(encoded.trim(), "base64");
  if (key.length !== 32) throw new SecretBoxError(`${name}: each key must be 32 bytes in base64 (\`openssl rand -base64 32\`), got ${key.length} bytes`);
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 12), key };
};

/**
 * The sealing keys: ENCRYPTION_KEYS (comma-separated, first seals), else in development and
 * tests a random key persisted under the data directory. Production refuses to run without
 * the variable (lib/config/production-problems.ts), since a key on a container's disk dies
 * with the container and takes every stored credential with it.
 */
export function secretKeys(env: Readonly<Record<string, string | undefined>> = process.env): SecretKeys {
  const configured = env.ENCRYPTION_KEYS?.trim();
  if (configured) return { keys: configured.split(",").filter((part) => part.trim() !== "").map((part) => keyOf("ENCRYPTION_KEYS", part)) };
  if (env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build") {
    throw new SecretBoxError("ENCRYPTION_KEYS is not set: mailbox credentials cannot be sealed in production without it.");
  }
  const dir = env.SENDLINE_DATA_DIR ? path.resolve(env.SENDLINE_DATA_DIR) : dataDir();
  return { keys: [keyOf(path.join(dir, DEV_KEY_FILE), Buffer.from(persistedDevKey(dir, DEV_KEY_FILE), "base64url").toString("base64"))] };
}

/**
 * Seals `plaintext` with AES-256-GCM under the newest key. `context` (say, the row it is stored
 * in) is bound as additional data: a sealed value copied into another row does not open there.
 * The result is `v1.<key id>.<iv>.<tag>.<ciphertext>` in base64url; the key id tells a rotation
 * which rows still need re-sealing.
 */
export function sealSecret(plaintext: string, context: string, keys: SecretKeys = secretKeys()): { sealed: string; keyId: string } {
  const current = keys.keys[0];
  if (!current) throw new SecretBoxError("no encryption key configured");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const parts = [VERSION, current.id, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")];
  return { sealed: parts.join("."), keyId: current.id };
}

/** Opens what sealSecret sealed with any configured key; throws SecretBoxError if it cannot. */
export function openSecret(sealed: string, context: string, keys: SecretKeys = secretKeys()): string {
  const [version, keyId, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0) throw new SecretBoxError("not a sealed secret");
  const key = keys.keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new SecretBoxError(`sealed with key ${keyId}, which is no longer configured in ENCRYPTION_KEYS`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("the sealed secret does not open: altered, or sealed for another row");
  }
}

/** The key id a sealed value names, without opening it. */
export const sealedKeyId = (sealed: string): string | null => sealed.split(".")[1] ?? null;
