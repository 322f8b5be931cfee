import { SECRET_ENV_NAMES } from "@/core/config/env-schema";

/** Environment variables whose values must never appear in a report or log line, even inside an error. */
const SECRET_ENV_VARS = [...SECRET_ENV_NAMES, "OPENAI_API_KEY"];

/** Strips credentials from URLs and the values of known secrets out of a message. */
export function redactSecrets(message: string, env: NodeJS.ProcessEnv = process.env): string {
  let redacted = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1[redacted]@");
  for (const name of SECRET_ENV_VARS) {
    const value = env[name];
    if (value && value.length >= 4) redacted = redacted.split(value).join("[redacted]");
  }
  return redacted;
}
