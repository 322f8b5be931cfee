import { S3_REQUIRED_VARIABLES } from "@/lib/storage/s3/s3-options";
import { type Env, envValue, readEnv } from "@/core/config/env";
import type { EnvName } from "@/core/config/env-schema";
import { secretKeys } from "@/lib/security/secret-box";
import { TRACKING_SECRET_MIN_CHARS } from "./tracking-secret";

/** `next start` (and every serverless instance) runs with NODE_ENV=production; `next build` too, but in its own phase. */
export const isProductionServer = (env: Env = process.env) => env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build";

/**
 * Everything a production server lacks, each in one line naming the variable and why it is
 * needed. Development runs on embedded defaults (PGlite and files under .data/, a generated
 * tracking key, the local engine); in production each of those either breaks with more than
 * one instance or on a serverless disk, or fails only on first use (a 500 on the first
 * tracking link, events that never run), so start-up refuses them all at once instead.
 * INNGEST_DEV (a dev server or the local engine) stands in for the Inngest keys.
 */
export function productionProblems(env: Env = process.env): string[] {
  const { issues } = readEnv(env);
  const problems = issues.map((issue) => issue.message);
  const unusable = new Set(issues.map((issue) => issue.variable));
  const unset = (name: EnvName) => !unusable.has(name) && envValue(name, env) === undefined;

  if (unset("DATABASE_URL")) {
    problems.push("DATABASE_URL is not set: production never falls back to the embedded database under .data/ (one process, one local disk)");
  }
  if (unset("S3_BUCKET") && unset("SENDLINE_DATA_DIR")) {
    problems.push(
      "S3_BUCKET is not set: uploads need S3-compatible storage (S3_BUCKET and its credentials), or SENDLINE_DATA_DIR=<a persistent volume> for a single-instance deployment",
    );
  } else if (!unset("S3_BUCKET")) {
    const missing = S3_REQUIRED_VARIABLES.filter(unset);
    if (missing.length > 0) problems.push(`S3_BUCKET is set but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not: uploads would fail`);
  }
  if (unset("PUBLIC_URL")) problems.push("PUBLIC_URL is not set: tracking and unsubscribe links and Inngest's registration need the app's public address");
  if (unset("TRACKING_SECRET")) {
    problems.push(`TRACKING_SECRET is not set: tracking and unsubscribe links need a stable random key of at least ${TRACKING_SECRET_MIN_CHARS} characters`);
  } else if (!unusable.has("TRACKING_SECRET") && envValue("TRACKING_SECRET", env)!.length < TRACKING_SECRET_MIN_CHARS) {
    problems.push(`TRACKING_SECRET is shorter than ${TRACKING_SECRET_MIN_CHARS} characters`);
  }
  if (unset("ENCRYPTION_KEYS")) problems.push("ENCRYPTION_KEYS is not set: connected mailboxes' passwords and tokens need a stable key to be sealed with");
  else {
    try {
      secretKeys({ ENCRYPTION_KEYS: envValue("ENCRYPTION_KEYS", env) });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const dev = envValue("INNGEST_DEV", env);
  if (!dev || dev === "0" || dev === "false") {
    if (unset("INNGEST_SIGNING_KEY")) problems.push("INNGEST_SIGNING_KEY is not set: Inngest's calls to /api/inngest could not be verified");
    if (unset("INNGEST_EVENT_KEY")) problems.push("INNGEST_EVENT_KEY is not set: events could not be sent, so no function would ever run");
  }
  return problems;
}

/** The one message a refused start prints. */
export function productionProblemsMessage(problems: readonly string[]): string {
  return `Sendline cannot start in production; fix these and start again:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`;
}
