import fs from "node:fs";
import path from "node:path";
import webpush from "web-push";
import { dataDir } from "@/core/config/data-dir";
import { ConfigError, type Env, envValue } from "@/core/config/env";

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

const DEV_KEYS_FILE = "vapid-keys.json";
/** Used outside production when WEB_PUSH_VAPID_SUBJECT is unset; push services want a contact, any will do locally. */
export const DEV_VAPID_SUBJECT = "mailto:push@sendline.localhost";

/** An uncompressed P-256 point (65 bytes) and a P-256 private scalar (32 bytes), base64url. */
const isKey = (value: string, bytes: number) => /^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, "base64url").length === bytes;

const devKeys = new Map<string, { publicKey: string; privateKey: string }>();

/**
 * Development and tests without configured keys: one pair, generated on first use and kept under
 * the data directory like the tracking key, so browsers that subscribed with its public key keep
 * receiving after a restart. `wx` lets concurrent first uses agree on the first file written.
 */
function devVapidKeys(dir: string): { publicKey: string; privateKey: string } {
  const file = path.join(dir, DEV_KEYS_FILE);
  const cached = devKeys.get(file);
  if (cached) return cached;
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys()), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const keys = JSON.parse(fs.readFileSync(file, "utf8")) as { publicKey: string; privateKey: string };
  devKeys.set(file, keys);
  return keys;
}

/**
 * The VAPID key pair that signs every Web Push request and whose public half pages subscribe
 * with: WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY (`npx web-push
 * generate-vapid-keys`), required together in production; otherwise the persisted development
 * pair. Changing the pair strands every existing browser subscription, so it is never implicit.
 */
export function vapidKeys(env: Env = process.env): VapidKeys {
  const publicKey = envValue("WEB_PUSH_VAPID_PUBLIC_KEY", env);
  const privateKey = envValue("WEB_PUSH_VAPID_PRIVATE_KEY", env);
  const production = env.NODE_ENV === "production";
  const subject = envValue("WEB_PUSH_VAPID_SUBJECT", env) ?? (production ? undefined : DEV_VAPID_SUBJECT);
  if (!subject) throw new ConfigError("Web Push needs WEB_PUSH_VAPID_SUBJECT (a mailto: or https: contact for push services)", "WEB_PUSH_VAPID_SUBJECT");
  if (publicKey || privateKey) {
    if (!publicKey || !isKey(publicKey, 65)) throw new ConfigError("WEB_PUSH_VAPID_PUBLIC_KEY must be a base64url P-256 public key (65 bytes), set with WEB_PUSH_VAPID_PRIVATE_KEY", "WEB_PUSH_VAPID_PUBLIC_KEY");
    if (!privateKey || !isKey(privateKey, 32)) throw new ConfigError("WEB_PUSH_VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes), set with WEB_PUSH_VAPID_PUBLIC_KEY", "WEB_PUSH_VAPID_PRIVATE_KEY");
    return { publicKey, privateKey, subject };
  }
  if (production) throw new ConfigError("Web Push needs WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys)", "WEB_PUSH_VAPID_PUBLIC_KEY");
  const dir = env.SENDLINE_DATA_DIR ? path.resolve(env.SENDLINE_DATA_DIR) : dataDir();
  return { ...devVapidKeys(dir), subject };
}
