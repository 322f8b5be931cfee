export type RateLimit = { requests: number; windowMs: number };

/**
 * `requests` per `windowMs`, as a token bucket: the long-run rate is exact, and a client
 * pacing itself at the limit is not punished for a few milliseconds of network jitter
 * (which a sliding log would turn into spurious 429s).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.requests;
    this.updatedAt = this.now();
  }

  /** Takes a token if one is there; otherwise says how long until one will be. */
  take(): { ok: true; remaining: number; resetMs: number } | { ok: false; retryAfterMs: number; resetMs: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens), resetMs: this.msUntil(this.limit.requests) };
    }
    return { ok: false, retryAfterMs: this.msUntil(1), resetMs: this.msUntil(this.limit.requests) };
  }

  private refill(): void {
    const now = this.now();
    const perMs = this.limit.requests / this.limit.windowMs;
    this.tokens = Math.min(this.limit.requests, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
  }

  private msUntil(tokens: number): number {
    const missing = Math.max(0, tokens - this.tokens);
    return (missing * this.limit.windowMs) / this.limit.requests;
  }
}
