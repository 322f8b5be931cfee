import type { Db } from "@/db";
import { ConfigError, type Env, envValue } from "@/core/config/env";
import { OutboxSmsProvider } from "./outbox-sms-provider";
import type { SmsProvider } from "./sms-provider";
import { TwilioSmsProvider } from "@/lib/providers/sms/twilio/twilio-sms-provider";

const TWILIO_VARIABLES = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"] as const;

export type SmsProviderChoice =
  | { provider: "outbox"; from?: string }
  | { provider: "twilio"; accountSid: string; authToken: string; from: string }
  | { provider: "twilio"; missing: (typeof TWILIO_VARIABLES)[number][] };

/**
 * Twilio when TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is set, otherwise the outbox;
 * SMS_PROVIDER=outbox|twilio forces a choice. Half a Twilio configuration is reported as such
 * rather than silently falling back to the outbox: messages would "send" and nobody would get
 * them. Shared by the factory and the start-up report.
 */
export function smsProviderChoice(env: Env = process.env): SmsProviderChoice {
  const [accountSid, authToken, from] = TWILIO_VARIABLES.map((name) => envValue(name, env));
  const choice = envValue("SMS_PROVIDER", env) ?? (accountSid || authToken ? "twilio" : "outbox");
  if (choice === "outbox") return { provider: "outbox", from };
  if (accountSid && authToken && from) return { provider: "twilio", accountSid, authToken, from };
  return { provider: "twilio", missing: TWILIO_VARIABLES.filter((name) => !envValue(name, env)) };
}

/**
 * Built only when an SMS is sent (see createProviders): a half-configured Twilio fails SMS
 * sends with a ConfigError naming what is missing, and nothing else.
 */
export function createSmsProvider(db: Db, env: Env = process.env): SmsProvider {
  const choice = smsProviderChoice(env);
  if (choice.provider === "outbox") return new OutboxSmsProvider(db, { from: choice.from });
  if ("missing" in choice) {
    throw new ConfigError(
      `Twilio SMS needs ${choice.missing.join(", ")} (set SMS_PROVIDER=outbox or unset the Twilio variables to use the local outbox)`,
      choice.missing[0]!,
    );
  }
  return new TwilioSmsProvider({
    accountSid: choice.accountSid,
    authToken: choice.authToken,
    from: choice.from,
    baseUrl: envValue("TWILIO_BASE_URL", env),
    statusCallbackUrl: envValue("TWILIO_STATUS_CALLBACK_URL", env),
  });
}
