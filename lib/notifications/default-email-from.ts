import { type Env, envValue } from "@/core/config/env";

/** The sender when a workspace has set none. */
export function defaultEmailFrom(env: Env = process.env): string {
  return envValue("EMAIL_FROM", env) ?? "Sendline <no-reply@sendline.localhost>";
}
