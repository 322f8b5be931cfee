/**
 * Campaign sending settings, read from the environment once. The defaults match Resend's
 * documented limits (2 requests per second, 100 emails per batch call) and a Twilio long code
 * (1 message segment per second per sender).
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

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name}="${raw}" must be a positive number (at most ${max})`);
  return value;
}

export function campaignSettings(env: NodeJS.ProcessEnv = process.env): CampaignSettings {
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
 * The chunk-run throttle: one chunk per the time the provider needs for a chunk at its rate,
 * so chunks arrive as fast as they can be sent and no faster (queued chunks wait in the engine,
 * not inside steps). The per-request pacer (take-send-slot.ts) enforces the exact rate.
 */
export function chunkThrottlePeriodSeconds(settings: CampaignSettings): number {
  const requestsPerChunk = Math.ceil(settings.chunkSize / settings.emailBatchSize);
  return Math.max(1, Math.round(requestsPerChunk / settings.emailRequestsPerSecond));
}
