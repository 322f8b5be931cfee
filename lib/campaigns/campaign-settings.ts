import { type Env, envValue } from "@/core/config/env";

/**
 * Campaign sending settings, read from the environment once. The defaults (core/config/env-schema.ts)
 * match Resend's documented limits (2 requests per second, 100 emails per batch call) and a
 * Twilio long code (1 message segment per second per sender).
 */

export type CampaignSettings = {
  /** Recipients per chunk event (one send-campaign-chunk run). */
  chunkSize: number;
  /** Recipients added to the snapshot per step. */
  snapshotPageSize: number;
  /** Emails per provider batch call. */
  emailBatchSize: number;
  /** Email provider requests per second, per provider account. */
  emailRequestsPerSecond: number;
  /** SMS segments per second, per sender. */
  smsSegmentsPerSecond: number;
  /** A sending campaign with no progress for this long is stalled (the watchdog steps in). */
  stuckSendingMinutes: number;
  /** How long a credit reservation holds before the watchdog may release it. */
  creditReservationHours: number;
};

export function campaignSettings(env: Env = process.env): CampaignSettings {
  return {
    chunkSize: envValue("CAMPAIGN_CHUNK_SIZE", env),
    snapshotPageSize: 50_000,
    emailBatchSize: envValue("EMAIL_BATCH_SIZE", env),
    emailRequestsPerSecond: envValue("EMAIL_PROVIDER_RPS", env),
    smsSegmentsPerSecond: envValue("SMS_SENDER_MPS", env),
    stuckSendingMinutes: envValue("STUCK_SENDING_MINUTES", env),
    creditReservationHours: envValue("CREDIT_RESERVATION_HOURS", env),
  };
}

/**
 * The chunk-run throttle. A chunk takes P seconds to send at the provider's rate (the
 * per-request pacer, take-send-slot.ts, enforces that rate exactly); chunks may start a little
 * faster than that (every 0.8 P) so the next chunk has loaded and rendered its recipients by
 * the time the previous one's last request goes out, and the provider is never left idle
 * between chunks. The workspace concurrency limit bounds how many wait in the pacer at once.
 */
export function chunkThrottle(settings: CampaignSettings): { limit: number; period: `${number}s`; burst: number } {
  const requestsPerChunk = Math.ceil(settings.chunkSize / settings.emailBatchSize);
  const sendSeconds = requestsPerChunk / settings.emailRequestsPerSecond;
  return { limit: 1, period: `${Math.max(1, Math.floor(sendSeconds * 0.8))}s`, burst: 2 };
}
