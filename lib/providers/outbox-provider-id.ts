import { ProviderError } from "./errors";
import type { Channel } from "@/core/messages/channels";

const PREFIX = "outbox_";

/** Provider ids look like Resend's or Twilio's opaque ids but say where the message lives. */
export function toOutboxProviderId(rowId: string): string {
  return `${PREFIX}${rowId}`;
}

/** The outbox row id behind a provider id, or null for an id the outbox never issued. */
export function fromOutboxProviderId(providerMessageId: string): string | null {
  if (!providerMessageId.startsWith(PREFIX)) return null;
  const rowId = providerMessageId.slice(PREFIX.length);
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(rowId) ? rowId : null;
}

/**
 * Resend answers a reused key with a different payload with 409 invalid_idempotent_request;
 * the outbox does the same so a caller bug shows up locally, not first in production.
 */
export function idempotencyConflict(idempotencyKey: string, channel: Channel): ProviderError {
  return new ProviderError(
    `outbox: idempotency key "${idempotencyKey}" was already used for a different ${channel} message`,
    "permanent",
    { provider: "outbox", code: "invalid_idempotent_request" },
  );
}
