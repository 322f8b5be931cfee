import type { Db } from "@/db";
import { ConfigError, type Env, envValue } from "@/core/config/env";
import { breakerSettings } from "@/lib/providers/circuit-breaker";
import type { EmailProvider } from "./email-provider";
import { FailoverEmailProvider } from "./failover-email-provider";
import { OutboxEmailProvider } from "./outbox-email-provider";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import { SmtpEmailProvider } from "@/lib/providers/email/smtp/smtp-email-provider";

export type EmailProviderName = "outbox" | "resend" | "smtp";

export type EmailProviderChoice =
  | { provider: "outbox" }
  | { provider: "resend"; apiKey: string }
  | { provider: "resend"; missing: ["RESEND_API_KEY"] }
  | { provider: "smtp"; url: string }
  | { provider: "smtp"; missing: ["SMTP_URL"] };

function choiceOf(name: EmailProviderName, env: Env): EmailProviderChoice {
  if (name === "outbox") return { provider: "outbox" };
  if (name === "smtp") {
    const url = envValue("SMTP_URL", env);
    return url ? { provider: "smtp", url } : { provider: "smtp", missing: ["SMTP_URL"] };
  }
  const apiKey = envValue("RESEND_API_KEY", env);
  return apiKey ? { provider: "resend", apiKey } : { provider: "resend", missing: ["RESEND_API_KEY"] };
}

/**
 * Resend when RESEND_API_KEY is set, otherwise the outbox, so a fresh clone sends nothing
 * anywhere. EMAIL_PROVIDER=outbox|resend|smtp forces a choice (outbox with a key present keeps a
 * staging copy of production config from mailing real people).
 */
export function emailProviderChoice(env: Env = process.env): EmailProviderChoice {
  return choiceOf(envValue("EMAIL_PROVIDER", env) ?? (envValue("RESEND_API_KEY", env) ? "resend" : "outbox"), env);
}

/**
 * The channel's ordered providers: EMAIL_PROVIDERS when set, else the one EMAIL_PROVIDER (or its
 * default) chooses, so a configuration from before the list behaves as it did. Shared by the
 * factory, the start-up report and `GET /api/v1/providers`, so what is shown is what is built.
 */
export function emailProviderChoices(env: Env = process.env): EmailProviderChoice[] {
  const names = envValue("EMAIL_PROVIDERS", env);
  return names ? names.map((name) => choiceOf(name, env)) : [emailProviderChoice(env)];
}

const smtpPools = new Map<string, SmtpEmailProvider>();

function buildProvider(db: Db, choice: EmailProviderChoice, env: Env): EmailProvider {
  if (choice.provider === "outbox") return new OutboxEmailProvider(db);
  if ("missing" in choice) {
    const variable = choice.missing[0];
    throw new ConfigError(
      `EMAIL_PROVIDER=${choice.provider} needs ${variable} (unset EMAIL_PROVIDER to use the local outbox, or leave ${choice.provider} out of EMAIL_PROVIDERS)`,
      variable,
    );
  }
  if (choice.provider === "smtp") {
    const options = { url: choice.url, maxConnections: envValue("SMTP_MAX_CONNECTIONS", env), timeoutMs: envValue("SMTP_TIMEOUT_MS", env) };
    // Providers are built per step, but a pool is worth keeping: one per process and configuration.
    const key = JSON.stringify(options);
    let smtp = smtpPools.get(key);
    if (!smtp) smtpPools.set(key, (smtp = new SmtpEmailProvider(options)));
    return smtp;
  }
  // RESEND_BASE_URL is read here rather than by the SDK from process.env, so `env` alone decides.
  return new ResendEmailProvider({ apiKey: choice.apiKey, baseUrl: envValue("RESEND_BASE_URL", env), timeoutMs: envValue("RESEND_TIMEOUT_MS", env) });
}

/**
 * One provider as it is, or a list of several behind a FailoverEmailProvider with a circuit
 * breaker each (a list of one has nothing to fail over to, and keeps today's behaviour).
 * `wrap` is applied to each provider of the list (createProviders measures each one there, so
 * metrics name the provider that really answered).
 */
export function createEmailProvider(db: Db, env: Env = process.env, wrap: (provider: EmailProvider) => EmailProvider = (provider) => provider): EmailProvider {
  const providers = emailProviderChoices(env).map((choice) => wrap(buildProvider(db, choice, env)));
  if (providers.length === 1) return providers[0]!;
  return new FailoverEmailProvider(db, providers, breakerSettings(env));
}
