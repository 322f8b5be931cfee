import type { Db } from "@/db";
import { type Env, envValue } from "@/core/config/env";
import {
  admitProviderCall,
  type BreakerAdmission,
  type BreakerSettings,
  recordProviderFailure,
  recordProviderSuccess,
} from "@/db/queries/provider-breakers";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { ProviderError } from "./errors";
import type { Channel } from "@/core/messages/channels";

export type { BreakerAdmission, BreakerSettings };

export function breakerSettings(env: Env = process.env): BreakerSettings {
  return {
    failures: envValue("PROVIDER_BREAKER_FAILURES", env),
    windowMs: envValue("PROVIDER_BREAKER_WINDOW_MS", env),
    coolDownMs: envValue("PROVIDER_BREAKER_COOLDOWN_MS", env),
  };
}

export function breakerKey(channel: Channel, provider: string): string {
  return `${channel}:${provider}`;
}

/**
 * Only a failure that says the provider itself is unwell counts: a 5xx, a timeout, a refused or
 * dropped connection. A rejected recipient (permanent) and a 429 (slow down, not down) do not.
 */
export function countsAgainstProvider(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.kind === "transient";
}

/** One provider's breaker, its state in `provider_breakers` (db/queries/provider-breakers.ts). */
export class CircuitBreaker {
  readonly key: string;

  constructor(
    private readonly db: Db,
    readonly channel: Channel,
    readonly provider: string,
    private readonly settings: BreakerSettings,
  ) {
    this.key = breakerKey(channel, provider);
  }

  admit(): Promise<BreakerAdmission> {
    return admitProviderCall(this.db, { key: this.key, coolDownMs: this.settings.coolDownMs });
  }

  /** The provider answered (even with a refusal that does not count): a trial's answer closes the breaker. */
  async answered(admission: BreakerAdmission): Promise<void> {
    if (admission === "closed") return;
    if (await recordProviderSuccess(this.db, { key: this.key })) {
      metrics().providerBreakerTransitions.inc({ channel: this.channel, provider: this.provider, state: "closed" });
      logger.info({ channel: this.channel, provider: this.provider }, "providers: circuit breaker closed, the provider answers again");
    }
  }

  async failed(error: ProviderError): Promise<void> {
    const after = await recordProviderFailure(this.db, { key: this.key, settings: this.settings, error: error.message });
    if (after.opened) {
      metrics().providerBreakerTransitions.inc({ channel: this.channel, provider: this.provider, state: "open" });
      logger.warn(
        { channel: this.channel, provider: this.provider, failures: after.failures, coolDownMs: this.settings.coolDownMs, err: error },
        "providers: circuit breaker opened",
      );
    }
  }
}
