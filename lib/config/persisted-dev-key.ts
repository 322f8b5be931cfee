import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const cache = new Map<string, string>();

/**
 * Development and tests without a configured key: one random key, created on first use and kept
 * in `dir/fileName`, so what it signed or sealed still verifies after a restart. `wx` makes
 * concurrent first uses (the app and a script) agree on whichever file was written first.
 */
export function persistedDevKey(dir: string, fileName: string): string {
  const file = path.join(dir, fileName);
  const cached = cache.get(file);
  if (cached) return cached;
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const value = fs.readFileSync(file, "utf8").trim();
  cache.set(file, value);
  return value;
}
