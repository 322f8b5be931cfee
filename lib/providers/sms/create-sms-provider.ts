import type { Db } from "@/db";
import type { ProviderEnv } from "@/lib/providers/provider-env";
import { OutboxSmsProvider } from "./outbox-sms-provider";
import type { SmsProvider } from "./sms-provider";
import { TwilioSmsProvider } from "./twilio-sms-provider";

const SMS_PROVIDERS = ["outbox", "twilio"] as const;

/**
 * Twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, otherwise the outbox;
 * SMS_PROVIDER=outbox|twilio forces a choice. Half a Twilio configuration is an error rather
 * than a silent fall back to the outbox: messages would "send" and nobody would get them.
 */
export function createSmsProvider(db: Db, env: ProviderEnv = process.env): SmsProvider {
  const forced = env.SMS_PROVIDER?.trim().toLowerCase() || undefined;
  if (forced && !(SMS_PROVIDERS as readonly string[]).includes(forced)) {
    throw new Error(`SMS_PROVIDER="${env.SMS_PROVIDER}" is not one of: ${SMS_PROVIDERS.join(", ")}`);
  }
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
  const authToken = env.TWILIO_AUTH_TOKEN?.trim();
  const from = env.TWILIO_FROM?.trim();
  const choice = forced ?? (accountSid || authToken ? "twilio" : "outbox");
  if (choice === "outbox") return new OutboxSmsProvider(db, { from: from || undefined });

  const missing = [
    ["TWILIO_ACCOUNT_SID", accountSid],
    ["TWILIO_AUTH_TOKEN", authToken],
    ["TWILIO_FROM", from],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(`Twilio SMS needs ${missing.join(", ")} (set SMS_PROVIDER=outbox or unset the Twilio variables to use the local outbox)`);
  }
  return new TwilioSmsProvider({
    accountSid: accountSid!,
    authToken: authToken!,
    from: from!,
    baseUrl: env.TWILIO_BASE_URL?.trim() || undefined,
    statusCallbackUrl: env.TWILIO_STATUS_CALLBACK_URL?.trim() || undefined,
  });
}
