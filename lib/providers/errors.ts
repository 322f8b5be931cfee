/**
 * What a provider call's failure means for the caller. Functions map these onto Inngest:
 * rate-limited → RetryAfterError, permanent → NonRetriableError, transient → a plain retry.
 */
export type ProviderFailureKind = "rate-limited" | "permanent" | "transient";

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    message: string,
    readonly kind: ProviderFailureKind,
    readonly details: { provider: string; status?: number; retryAfterMs?: number; code?: string } = { provider: "unknown" },
  ) {
    super(message);
  }
}
