/**
 * What a provider call's failure means for the caller. Functions map these onto Inngest:
 * rate-limited → RetryAfterError, permanent → NonRetriableError, transient → a plain retry.
 */
export type ProviderFailureKind = "rate-limited" | "permanent" | "transient";

export type ProviderErrorDetails = {
  provider: string;
  status?: number;
  retryAfterMs?: number;
  code?: string;
  /**
   * True only when the provider certainly did not take the message: it answered with a refusal
   * (an HTTP 5xx, a 4xx SMTP reply) or the connection failed before the request was written.
   * Only then may another provider send it; after a timeout or a reset mid-request the message
   * may have gone out, so it stays with this provider (see FailoverEmailProvider).
   */
  notAccepted?: boolean;
};

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    message: string,
    readonly kind: ProviderFailureKind,
    readonly details: ProviderErrorDetails = { provider: "unknown" },
  ) {
    super(message);
  }
}

/**
 * The provider has already taken a call under this idempotency key with a different payload
 * (Resend's 409 `invalid_idempotent_request`): the key's first call went through, so its
 * messages went out; what changed since (a contact's name, an erased recipient) came too late.
 */
export function keyAlreadyUsed(error: ProviderError): boolean {
  return error.details.code === "invalid_idempotent_request";
}
