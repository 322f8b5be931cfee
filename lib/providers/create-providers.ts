import type { Db } from "@/db";
import type { Env } from "@/core/config/env";
import type { Providers } from "@/lib/notifications/deliver-message";
import { instrumentEmailProvider, instrumentSmsProvider } from "@/lib/observability/instrument-providers";
import { createEmailProvider } from "./email/create-email-provider";
import type { EmailProvider } from "./email/email-provider";
import { createSmsProvider } from "./sms/create-sms-provider";
import type { SmsProvider } from "./sms/sms-provider";

/**
 * The providers of every channel, each built the first time its channel is used: an email send
 * never constructs the SMS provider, so a half-configured Twilio (say, only the auth token the
 * webhook needs) fails SMS sends alone and never an email. Every provider is measured here, once
 * (latency, errors by kind, messages), so no vendor's code needs to know about metrics.
 */
export function createProviders(db: Db, env: Env = process.env): Providers {
  let email: EmailProvider | undefined;
  let sms: SmsProvider | undefined;
  return {
    get email() {
      return (email ??= createEmailProvider(db, env, instrumentEmailProvider));
    },
    get sms() {
      return (sms ??= instrumentSmsProvider(createSmsProvider(db, env)));
    },
  };
}
