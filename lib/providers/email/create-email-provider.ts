import type { Db } from "@/db";
import { ConfigError, type Env, envValue } from "@/core/config/env";
import type { EmailProvider } from "./email-provider";
import { OutboxEmailProvider } from "./outbox-email-provider";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";

export type EmailProviderChoice = { provider: "outbox" } | { provider: "resend"; apiKey: string } | { provider: "resend"; missing: ["RESEND_API_KEY"] };

/**
 * Resend when RESEND_API_KEY is set, otherwise the outbox, so a fresh clone sends nothing
 * anywhere. EMAIL_PROVIDER=outbox|resend forces a choice (outbox with a key present keeps a
 * staging copy of production config from mailing real people). Shared by the factory and the
 * start-up report, so what is printed is what is built.
 */
export function emailProviderChoice(env: Env = process.env): EmailProviderChoice {
  const apiKey = envValue("RESEND_API_KEY", env);
  const choice = envValue("EMAIL_PROVIDER", env) ?? (apiKey ? "resend" : "outbox");
  if (choice === "outbox") return { provider: "outbox" };
  return apiKey ? { provider: "resend", apiKey } : { provider: "resend", missing: ["RESEND_API_KEY"] };
}

/** Reads RESEND_BASE_URL here rather than letting the SDK read process.env, so `env` alone decides. */
export function createEmailProvider(db: Db, env: Env = process.env): EmailProvider {
  const choice = emailProviderChoice(env);
  if (choice.provider === "outbox") return new OutboxEmailProvider(db);
  if ("missing" in choice) throw new ConfigError("EMAIL_PROVIDER=resend needs RESEND_API_KEY (unset EMAIL_PROVIDER to use the local outbox)", "RESEND_API_KEY");
  return new ResendEmailProvider({
    apiKey: choice.apiKey,
    baseUrl: envValue("RESEND_BASE_URL", env),
    timeoutMs: envValue("RESEND_TIMEOUT_MS", env),
  });
}
