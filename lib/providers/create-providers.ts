import type { Db } from "@/db";
import type { Env } from "@/core/config/env";
import type { Providers } from "@/lib/notifications/deliver-message";
import { instrumentEmailProvider, instrumentInAppProvider, instrumentPushProvider, instrumentSmsProvider, instrumentWhatsAppProvider } from "@/lib/observability/instrument-providers";
import { createEmailProvider } from "./email/create-email-provider";
import type { EmailProvider } from "./email/email-provider";
import { createPushProvider } from "./push/create-push-provider";
import type { PushProvider } from "./push/push-provider";
import { createSmsProvider } from "./sms/create-sms-provider";
import type { SmsProvider } from "./sms/sms-provider";
import { createInAppProvider } from "./in-app/create-in-app-provider";
import type { InAppProvider } from "./in-app/in-app-provider";
import { createWhatsAppProvider } from "./whatsapp/create-whatsapp-provider";
import type { WhatsAppProvider } from "./whatsapp/whatsapp-provider";

/**
 * The providers of every channel, each built the first time its channel is used: an email send
 * never constructs the SMS provider, so a half-configured Twilio (say, only the auth token the
 * webhook needs) fails SMS sends alone and never an email. Every provider is measured here, once
 * (latency, errors by kind, messages), so no vendor's code needs to know about metrics.
 */
export function createProviders(db: Db, env: Env = process.env): Providers {
  let email: EmailProvider | undefined;
  let sms: SmsProvider | undefined;
  let inApp: InAppProvider | undefined;
  let whatsapp: WhatsAppProvider | undefined;
  let push: PushProvider | undefined;
  return {
    get email() {
      return (email ??= createEmailProvider(db, env, instrumentEmailProvider));
    },
    get sms() {
      return (sms ??= instrumentSmsProvider(createSmsProvider(db, env)));
    },
    get inApp() {
      return (inApp ??= instrumentInAppProvider(createInAppProvider(db)));
    },
    get whatsapp() {
      return (whatsapp ??= instrumentWhatsAppProvider(createWhatsAppProvider(db, env)));
    },
    get push() {
      return (push ??= createPushProvider(db, env, instrumentPushProvider));
    },
  };
}
