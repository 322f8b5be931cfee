import type { Db } from "@/db";
import { listMessagesAwaitingDelivery } from "@/db/queries/messages";
import { ConfigError, type Env, envValue } from "@/core/config/env";
import type { Providers } from "@/lib/notifications/deliver-message";
import type { EmailProvider } from "@/lib/providers/email/email-provider";
import { ProviderError } from "@/lib/providers/errors";
import type { ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import type { InAppProvider } from "@/lib/providers/in-app/in-app-provider";
import type { SmsProvider } from "@/lib/providers/sms/sms-provider";
import { applyMessageChange } from "./apply-message-change";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { type MessageChange, SUPPRESSION_REASONS } from "./message-change";
import { logger } from "@/lib/observability/logger";
import { emailSendSlot } from "@/lib/notifications/notification-pacing";
import { takeSendSlot } from "@/lib/providers/take-send-slot";
import type { Channel } from "@/core/messages/channels";

export const REFRESH_PENDING_MINUTES_DEFAULT = 30;
/** Providers keep message state for days, not forever; older silence is left as it is. */
export const REFRESH_MAX_AGE_MS = 3 * 24 * 60 * 60 * 1000;
/**
 * Lookups per step: Resend allows 2 requests/s shared with sending, and each email lookup takes
 * its turn on the account's send schedule, so a page takes ~25 s and pages stay small.
 */
export const REFRESH_PAGE_SIZE = 50;

/** A position in (sent_at, id) order; plain strings so it survives as a step output. */
export type RefreshCursor = { at: string; id: string };

export type RefreshPage = {
  /** Where the next page starts; null once the window is exhausted. */
  cursor: RefreshCursor | null;
  checked: number;
  advanced: number;
  /** The provider no longer knows the id, or the message was sent by another provider than the one configured now. */
  skipped: number;
  errors: number;
  /** Set when the provider rate-limited us: wait this long before the next page. */
  retryAfterMs: number | null;
};

/** REFRESH_PENDING_MINUTES: how long a message may sit at "sent" before its provider is asked. */
export function refreshPendingMinutes(env: Env = process.env): number {
  return envValue("REFRESH_PENDING_MINUTES", env);
}

/**
 * A status read from the provider, as a change. Lookups carry less detail than webhooks: a
 * bounce may be soft, so it does not suppress (the webhook for a hard bounce does); a
 * complaint is unambiguous and is treated like the webhook.
 */
export function changeFromProviderStatus(status: ProviderMessageStatus): MessageChange {
  switch (status) {
    case "sent":
      return { kind: "none", reason: "no news from the provider" };
    case "complained":
      return { kind: "status", to: "complained", suppress: SUPPRESSION_REASONS.complaint, unsubscribe: true };
    case "failed":
      return { kind: "status", to: "failed", error: "The provider reported the message as failed" };
    case "bounced":
      return { kind: "status", to: "bounced", error: "The provider reported a bounce" };
    default:
      return { kind: "status", to: status };
  }
}

/** The channel's provider, or null when that channel is not configured (its messages are skipped, others go on). */
function providerOf(providers: Providers, channel: Channel): EmailProvider | SmsProvider | InAppProvider | null {
  try {
    return channel === "email" ? providers.email : channel === "sms" ? providers.sms : channel === "in_app" ? providers.inApp : null;
  } catch (error) {
    if (error instanceof ConfigError) return null;
    throw error;
  }
}

/**
 * One page of the refresh: the oldest messages still "sent" after `pendingMinutes`, within the
 * last three days, each asked about through its own provider and moved forward only. A rate
 * limit ends the page early with the cursor at the last message handled, so nothing is skipped.
 */
export async function refreshMessageStatusPage(
  db: Db,
  providers: Providers,
  params: { now: Date; pendingMinutes: number; after: RefreshCursor | null; limit?: number; actor: string },
): Promise<RefreshPage> {
  const limit = params.limit ?? REFRESH_PAGE_SIZE;
  const rows = await listMessagesAwaitingDelivery(db, {
    sentAfter: new Date(params.now.getTime() - REFRESH_MAX_AGE_MS),
    sentBefore: new Date(params.now.getTime() - params.pendingMinutes * 60_000),
    after: params.after ? { at: new Date(params.after.at), id: params.after.id } : undefined,
    limit,
  });
  const page: RefreshPage = { cursor: params.after, checked: 0, advanced: 0, skipped: 0, errors: 0, retryAfterMs: null };

  for (const message of rows) {
    const provider = providerOf(providers, message.channel);
    // A failover list's name joins its providers' names ("resend,smtp").
    if (provider && message.provider && provider.name.split(",").includes(message.provider)) {
      let status: ProviderMessageStatus | null;
      try {
        // A lookup is a request against the account's limit like a send: fired back to back, a
        // page of them spent the limit and a campaign's sends met 429 until their retries ran out.
        if (message.channel === "email") await takeSendSlot(db, emailSendSlot(providers));
        status = await provider.getStatus({ workspaceId: message.workspaceId, providerMessageId: message.providerMessageId!, provider: message.provider });
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (error.kind === "rate-limited") return { ...page, retryAfterMs: error.details.retryAfterMs ?? 1_000 };
        // One odd message must not hold up the rest; the next run asks again.
        logger.warn({ err: error, messageId: message.id }, "refresh-message-status: the provider could not report a status");
        page.errors += 1;
        page.cursor = { at: message.sentAt!.toISOString(), id: message.id };
        continue;
      }
      page.checked += 1;
      if (status === null) page.skipped += 1;
      else {
        const applied = await applyMessageChange(db, message, changeFromProviderStatus(status), { at: params.now, actor: params.actor });
        if (applied.outcome === "advanced") page.advanced += 1;
        // Polled news feeds the stream like a webhook's; its key (status and message) counts it once.
        if (applied.fact) await recordEngagement(db, [applied.fact]);
      }
    } else {
      page.skipped += 1;
    }
    page.cursor = { at: message.sentAt!.toISOString(), id: message.id };
  }
  if (rows.length < limit) page.cursor = null;
  return page;
}
