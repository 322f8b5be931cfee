import type { Db } from "@/db";
import type { Env } from "@/core/config/env";
import { listProviderBreakers } from "@/db/queries/provider-breakers";
import type { BreakerState } from "@/db/schema";
import { breakerKey } from "./circuit-breaker";
import { emailProviderChoices } from "./email/create-email-provider";
import { pushProviderChoices } from "./push/create-push-provider";
import { smsProviderChoice } from "./sms/create-sms-provider";
import { whatsappProviderChoice } from "./whatsapp/create-whatsapp-provider";

export type ProviderHealth = {
  channel: "email" | "sms" | "whatsapp" | "push";
  /** Place in the channel's list, from 1: the first whose breaker admits a call sends. */
  position: number;
  provider: string;
  /** Missing configuration, if any (its sends fail until set). */
  missing: string | null;
  breaker: { state: BreakerState; failures: number; openedAt: string | null; lastError: string | null; updatedAt: string | null };
};

/**
 * Each channel's ordered providers with their circuit breakers as the database has them (a
 * provider that never failed has no row and is closed). A channel with one provider has no
 * failover and no breaker: it shows closed. Never shows a secret.
 */
export async function listProviderHealth(db: Db, env: Env = process.env): Promise<ProviderHealth[]> {
  const email = emailProviderChoices(env).map((choice) => ({
    channel: "email" as const,
    provider: choice.provider,
    missing: "missing" in choice ? choice.missing[0] : null,
  }));
  const sms = smsProviderChoice(env);
  const whatsapp = whatsappProviderChoice(env);
  const entries = [
    ...email.map((entry, index) => ({ ...entry, position: index + 1 })),
    { channel: "sms" as const, provider: sms.provider, missing: "missing" in sms ? sms.missing.join(", ") : null, position: 1 },
    { channel: "whatsapp" as const, provider: whatsapp.provider, missing: "missing" in whatsapp ? whatsapp.missing.join(", ") : null, position: 1 },
    // Push picks a provider per kind of device (browser or FCM app), not a failover order.
    ...[...new Map(pushProviderChoices(env).map((choice) => [choice.provider, choice])).values()].map((choice) => ({ channel: "push" as const, provider: choice.provider, missing: choice.missing, position: 1 })),
  ];
  const rows = new Map((await listProviderBreakers(db, { keys: entries.map((entry) => breakerKey(entry.channel, entry.provider)) })).map((row) => [row.key, row]));
  return entries.map((entry) => {
    const row = rows.get(breakerKey(entry.channel, entry.provider));
    return {
      ...entry,
      breaker: {
        state: row?.state ?? "closed",
        failures: row?.failures ?? 0,
        openedAt: row?.openedAt?.toISOString() ?? null,
        lastError: row?.lastError ?? null,
        updatedAt: row?.updatedAt?.toISOString() ?? null,
      },
    };
  });
}

