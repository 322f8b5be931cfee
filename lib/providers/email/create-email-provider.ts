import type { Db } from "@/db";
import type { ProviderEnv } from "@/lib/providers/provider-env";
import type { EmailProvider } from "./email-provider";
import { OutboxEmailProvider } from "./outbox-email-provider";
import { ResendEmailProvider } from "./resend-email-provider";

const EMAIL_PROVIDERS = ["outbox", "resend"] as const;

/**
 * Resend when RESEND_API_KEY is set, otherwise the outbox, so a fresh clone sends nothing
 * anywhere. EMAIL_PROVIDER=outbox|resend forces a choice (outbox with a key present keeps a
 * staging copy of production config from mailing real people). Reads RESEND_BASE_URL here
 * rather than letting the SDK read process.env, so `env` alone decides.
 */
export function createEmailProvider(db: Db, env: ProviderEnv = process.env): EmailProvider {
  const forced = env.EMAIL_PROVIDER?.trim().toLowerCase() || undefined;
  if (forced && !(EMAIL_PROVIDERS as readonly string[]).includes(forced)) {
    throw new Error(`EMAIL_PROVIDER="${env.EMAIL_PROVIDER}" is not one of: ${EMAIL_PROVIDERS.join(", ")}`);
  }
  const apiKey = env.RESEND_API_KEY?.trim();
  const choice = forced ?? (apiKey ? "resend" : "outbox");
  if (choice === "outbox") return new OutboxEmailProvider(db);
  if (!apiKey) throw new Error("EMAIL_PROVIDER=resend needs RESEND_API_KEY (unset EMAIL_PROVIDER to use the local outbox)");
  const timeout = env.RESEND_TIMEOUT_MS?.trim();
  const timeoutMs = timeout ? Number(timeout) : undefined;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new Error(`RESEND_TIMEOUT_MS="${timeout}" must be a positive number of milliseconds`);
  return new ResendEmailProvider({ apiKey, baseUrl: env.RESEND_BASE_URL?.trim() || undefined, timeoutMs });
}
