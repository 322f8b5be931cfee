import path from "node:path";
import { dataDir } from "@/core/config/data-dir";
import { persistedDevKey } from "./persisted-dev-key";

/** Keys that sign tracking and unsubscribe tokens: `current` signs; both verify. */
export type TrackingSecret = { current: Buffer; fallback: Buffer | null };

/** Shorter secrets are guessable offline from a single signed link. */
export const TRACKING_SECRET_MIN_CHARS = 32;

const DEV_SECRET_FILE = "tracking-secret";

function fromEnv(name: string, value: string): Buffer {
  if (value.length < TRACKING_SECRET_MIN_CHARS) {
    throw new Error(`${name} must be at least ${TRACKING_SECRET_MIN_CHARS} characters (e.g. \`openssl rand -base64 32\`).`);
  }
  return Buffer.from(value, "utf8");
}

const isProductionServer = (env: NodeJS.ProcessEnv) => env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build";

/**
 * Throws when a production server would start without TRACKING_SECRET. Called at module load
 * by lib/tracking, like inngestMode() for the signing key, so a misconfigured deploy fails at
 * start-up instead of on the first email. The build itself may proceed.
 */
export function assertTrackingSecret(env: NodeJS.ProcessEnv = process.env): void {
  if (isProductionServer(env) && !env.TRACKING_SECRET) {
    throw new Error(
      "TRACKING_SECRET is not set: refusing to sign tracking and unsubscribe links in production with a throwaway key. " +
        `Set it to a random string of at least ${TRACKING_SECRET_MIN_CHARS} characters (e.g. \`openssl rand -base64 32\`) and keep it stable: ` +
        "changing it breaks the links in every email already sent (put the old one in TRACKING_SECRET_FALLBACK while rotating).",
    );
  }
}

function devSecret(dir: string): Buffer {
  return fromEnv(path.join(dir, DEV_SECRET_FILE), persistedDevKey(dir, DEV_SECRET_FILE));
}

/** The signing keys: TRACKING_SECRET (required in production), else the persisted development key. */
export function trackingSecret(env: NodeJS.ProcessEnv = process.env): TrackingSecret {
  const fallback = env.TRACKING_SECRET_FALLBACK ? fromEnv("TRACKING_SECRET_FALLBACK", env.TRACKING_SECRET_FALLBACK) : null;
  if (env.TRACKING_SECRET) return { current: fromEnv("TRACKING_SECRET", env.TRACKING_SECRET), fallback };
  assertTrackingSecret(env);
  if (env.NODE_ENV === "production") {
    throw new Error("TRACKING_SECRET is not set: tracking and unsubscribe links cannot be signed in production without it.");
  }
  const dir = env.SENDLINE_DATA_DIR ? path.resolve(env.SENDLINE_DATA_DIR) : dataDir();
  return { current: devSecret(dir), fallback };
}
