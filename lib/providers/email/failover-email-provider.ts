import type { Db } from "@/db";
import { findPinnedProvider, pinMessagesToProvider, unpinMessages } from "@/db/queries/messages";
import { type BreakerSettings, CircuitBreaker, countsAgainstProvider } from "@/lib/providers/circuit-breaker";
import { ProviderError } from "@/lib/providers/errors";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { EmailBatchResult, EmailMessage, EmailProvider, EmailSendResult } from "./email-provider";

/**
 * An ordered list of email providers behind one EmailProvider, each with a circuit breaker
 * kept in the database. A call goes to the first provider whose breaker admits it, and moves
 * on to the next only when that provider certainly did not take the messages (it answered with
 * a 5xx-like refusal, or could not be reached: `notAccepted`); so a message never goes out
 * through two providers:
 *
 * - before each call the messages are pinned to that provider (`messages.provider`), and the pin
 *   is lifted only after a certain refusal. After a timeout, a dropped connection, or a crash
 *   mid-call the pin stays, and every later attempt goes to that provider alone, with the same
 *   idempotency key (Resend replays its first answer; SMTP reuses the Message-ID).
 * - when no provider is admitted or all refused, the call fails with a transient error, so the
 *   step is retried with Inngest's backoff and the messages wait (never a permanent failure).
 *
 * A 429 and a permanent refusal are the caller's to handle, as with a single provider.
 */
export class FailoverEmailProvider implements EmailProvider {
  readonly name: string;
  private readonly breakers: Map<string, CircuitBreaker>;

  constructor(
    private readonly db: Db,
    readonly providers: readonly EmailProvider[],
    settings: BreakerSettings,
  ) {
    this.name = providers.map((provider) => provider.name).join(",");
    this.breakers = new Map(providers.map((provider) => [provider.name, new CircuitBreaker(db, "email", provider.name, settings)]));
  }

  send(message: EmailMessage, options: { idempotencyKey: string }): Promise<EmailSendResult> {
    return this.deliver([message], (provider) => provider.send(message, options));
  }

  async sendBatch(messages: EmailMessage[], options: { idempotencyKey: string }): Promise<EmailBatchResult[]> {
    if (messages.length === 0) return [];
    return this.deliver(messages, (provider) => provider.sendBatch(messages, options));
  }

  /** Asked of the provider that sent the message (`ref.provider`), the first one when unnamed. */
  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    const provider = ref.provider ? this.providers.find((candidate) => candidate.name === ref.provider) : this.providers[0];
    return provider ? provider.getStatus(ref) : null;
  }

  private async deliver<T>(messages: EmailMessage[], call: (provider: EmailProvider) => Promise<T>): Promise<T> {
    // A transactional batch may carry several workspaces' messages.
    const scope = { workspaceIds: [...new Set(messages.map((message) => message.workspaceId))], messageIds: messages.map((message) => message.messageId) };
    const pinned = await findPinnedProvider(this.db, scope);
    const candidates = pinned ? this.providers.filter((provider) => provider.name === pinned) : this.providers;
    if (pinned && candidates.length === 0) {
      // It may have gone out through a provider since removed from the list: another must not send it.
      throw new ProviderError(`email: the message was last handed to ${pinned}, which is no longer configured; it is not sent again elsewhere`, "permanent", {
        provider: this.name,
        code: "pinned_provider_removed",
      });
    }
    const refusals: string[] = [];
    for (const provider of candidates) {
      const breaker = this.breakers.get(provider.name)!;
      const admission = await breaker.admit();
      if (admission === "open") {
        refusals.push(`${provider.name}: circuit open`);
        continue;
      }
      await pinMessagesToProvider(this.db, { ...scope, provider: provider.name });
      try {
        const result = await call(provider);
        await breaker.answered(admission);
        if (provider !== this.providers[0]) this.recordFailover(provider.name, refusals, messages.length);
        return result;
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (countsAgainstProvider(error)) await breaker.failed(error);
        else await breaker.answered(admission);
        // A refusal now says nothing of an earlier attempt that ended unknown: a pin found at the
        // start stays, and only a pin this call set is lifted.
        if (error.details.notAccepted && !pinned) await unpinMessages(this.db, { ...scope, provider: provider.name });
        if (pinned && error.kind === "transient") throw pinnedError(pinned, error);
        if (error.kind !== "transient" || !error.details.notAccepted) throw error;
        refusals.push(`${provider.name}: ${error.message}`);
      }
    }
    throw new ProviderError(`email: no provider took the message (${refusals.join("; ")})`, "transient", {
      provider: this.name,
      code: "no_provider_available",
      notAccepted: true,
    });
  }

  private recordFailover(to: string, refusals: string[], messages: number): void {
    const from = this.providers[0]!.name;
    metrics().providerFailovers.inc({ channel: "email", from, to }, messages);
    logger.warn({ channel: "email", from, to, messages, refusals }, "providers: sent through a later provider of the list");
  }
}

/** A pinned message's provider failed again: it waits for that provider, whatever the others could do. */
function pinnedError(provider: string, error: ProviderError): ProviderError {
  return new ProviderError(`email: ${provider} may already have this message, so it waits for ${provider} (${error.message})`, "transient", {
    ...error.details,
    notAccepted: false,
  });
}
