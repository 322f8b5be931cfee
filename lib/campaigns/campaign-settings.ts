/**
 * Campaign sending settings, read from the environment once. The defaults match Resend's
 * documented limits (2 requests per second, 100 emails per batch call) and a Twilio long code
 * (1 message segment per second per sender).
 */
type Env = Readonly<Record<string, string | undefined>>;

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

function positive(env: Env, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name}="${raw}" must be a positive number (at most ${max})`);
  return value;
}

export function campaignSettings(env: Env = process.env): CampaignSettings {
  return {
    chunkSize: Math.floor(positive(env, "CAMPAIGN_CHUNK_SIZE", 1_000, 10_000)),
    snapshotPageSize: 50_000,
    emailBatchSize: Math.floor(positive(env, "EMAIL_BATCH_SIZE", 100, 100)),
    emailRequestsPerSecond: positive(env, "EMAIL_PROVIDER_RPS", 2, 1_000),
    smsSegmentsPerSecond: positive(env, "SMS_SENDER_MPS", 1, 1_000),
    stuckSendingMinutes: positive(env, "STUCK_SENDING_MINUTES", 15),
    creditReservationHours: positive(env, "CREDIT_RESERVATION_HOURS", 72),
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
