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
  /** Parts (provider calls) one chunk run keeps on their way at once (see emailPartsInFlight). */
  emailPartsInFlight: number;
  /** Chunk runs of one workspace at once (send-campaign-chunk's concurrency; see chunkRunsPerWorkspace). */
  chunkRunsPerWorkspace: number;
  /** SMS segments per second, per sender. */
  smsSegmentsPerSecond: number;
  /** A sending campaign with no progress for this long is stalled (the watchdog steps in). */
  stuckSendingMinutes: number;
  /** How long a credit reservation holds before the watchdog may release it. */
  creditReservationHours: number;
};

export function campaignSettings(env: Env = process.env): CampaignSettings {
  const emailRequestsPerSecond = envValue("EMAIL_PROVIDER_RPS", env);
  const chunkSize = envValue("CAMPAIGN_CHUNK_SIZE", env);
  const emailBatchSize = envValue("EMAIL_BATCH_SIZE", env);
  return {
    chunkSize,
    snapshotPageSize: 50_000,
    emailBatchSize,
    emailRequestsPerSecond,
    emailPartsInFlight: emailPartsInFlight(emailRequestsPerSecond),
    chunkRunsPerWorkspace: chunkRunsPerWorkspace({ chunkSize, emailBatchSize, emailRequestsPerSecond }),
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
  const startEvery = (requestsPerChunk / settings.emailRequestsPerSecond) * 0.8;
  // A slow provider: one chunk per whole number of seconds. A fast one sends a chunk in under a
  // second, so several chunks start per second — a fixed 1 per second would cap the campaign
  // at one chunk a second (1,000 emails/s) whatever the provider allows.
  if (startEvery >= 1) return { limit: 1, period: `${Math.floor(startEvery)}s`, burst: 2 };
  return { limit: Math.ceil(1 / startEvery), period: "1s", burst: 2 };
}

/**
 * How many provider calls one chunk run has on their way at once. A part spends ~0.1 s outside
 * the provider's rate limit (rendering, its claim, the call's round trip, recording the outcome),
 * so one at a time keeps up with a provider taking a few requests a second (Resend's default 2)
 * but not with one taking 50: then parts overlap, about one more per 10 requests/s. The pacer
 * (take-send-slot.ts) still spaces the calls themselves, so overlap never raises the rate.
 */
/**
 * How many chunk runs of one workspace may run at once. Two for a provider that needs seconds per
 * chunk: one sends while the next loads and renders, and a million-recipient campaign cannot
 * hold every run slot. A provider that sends a chunk in under a second needs more, or the
 * provider waits while chunks load their recipients: about one per chunk it sends a second.
 */
export function chunkRunsPerWorkspace(settings: Pick<CampaignSettings, "chunkSize" | "emailBatchSize" | "emailRequestsPerSecond">): number {
  const chunksPerSecond = settings.emailRequestsPerSecond / Math.ceil(settings.chunkSize / settings.emailBatchSize);
  return Math.min(10, Math.max(2, Math.ceil(chunksPerSecond)));
}

export function emailPartsInFlight(requestsPerSecond: number): number {
  return Math.min(10, Math.max(1, Math.ceil(requestsPerSecond / 10)));
}
