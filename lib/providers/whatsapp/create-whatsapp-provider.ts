import type { Db } from "@/db";
import { ConfigError, type Env, envValue } from "@/core/config/env";
import { MetaWhatsAppProvider } from "./meta/meta-whatsapp-provider";
import { OutboxWhatsAppProvider } from "./outbox-whatsapp-provider";
import { TwilioWhatsAppProvider } from "./twilio/twilio-whatsapp-provider";
import type { WhatsAppProvider } from "./whatsapp-provider";

const META_VARIABLES = ["WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"] as const;
const TWILIO_VARIABLES = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM"] as const;

export type WhatsAppProviderChoice =
  | { provider: "outbox" }
  | { provider: "meta"; accessToken: string; phoneNumberId: string }
  | { provider: "twilio"; accountSid: string; authToken: string; from: string }
  | { provider: "meta" | "twilio"; missing: string[] };

/**
 * The Cloud API when its token or phone-number id is set, Twilio when a WhatsApp sender is,
 * otherwise the outbox; WHATSAPP_PROVIDER forces a choice. Half a configuration is reported as
 * such, never a silent fall back to the outbox. Shared by the factory and the health page.
 */
export function whatsappProviderChoice(env: Env = process.env): WhatsAppProviderChoice {
  const meta = META_VARIABLES.map((name) => envValue(name, env));
  const twilio = TWILIO_VARIABLES.map((name) => envValue(name, env));
  const choice = envValue("WHATSAPP_PROVIDER", env) ?? (meta.some(Boolean) ? "meta" : twilio[2] ? "twilio" : "outbox");
  if (choice === "outbox") return { provider: "outbox" };
  if (choice === "meta") {
    const [accessToken, phoneNumberId] = meta;
    if (accessToken && phoneNumberId) return { provider: "meta", accessToken, phoneNumberId };
    return { provider: "meta", missing: META_VARIABLES.filter((name) => !envValue(name, env)) };
  }
  const [accountSid, authToken, from] = twilio;
  if (accountSid && authToken && from) return { provider: "twilio", accountSid, authToken, from };
  return { provider: "twilio", missing: TWILIO_VARIABLES.filter((name) => !envValue(name, env)) };
}

/** Built only when a WhatsApp message is sent (see createProviders): a half configuration fails WhatsApp sends alone. */
export function createWhatsAppProvider(db: Db, env: Env = process.env): WhatsAppProvider {
  const choice = whatsappProviderChoice(env);
  if (choice.provider === "outbox") return new OutboxWhatsAppProvider(db);
  if ("missing" in choice) {
    throw new ConfigError(
      `WhatsApp through ${choice.provider === "meta" ? "the Cloud API" : "Twilio"} needs ${choice.missing.join(", ")} (set WHATSAPP_PROVIDER=outbox to use the local outbox)`,
      choice.missing[0]!,
    );
  }
  if (choice.provider === "meta") {
    return new MetaWhatsAppProvider({
      accessToken: choice.accessToken,
      phoneNumberId: choice.phoneNumberId,
      apiVersion: envValue("WHATSAPP_API_VERSION", env),
      baseUrl: envValue("WHATSAPP_BASE_URL", env),
    });
  }
  return new TwilioWhatsAppProvider({
    accountSid: choice.accountSid,
    authToken: choice.authToken,
    from: choice.from,
    baseUrl: envValue("TWILIO_BASE_URL", env),
    statusCallbackUrl: envValue("TWILIO_STATUS_CALLBACK_URL", env),
  });
}
