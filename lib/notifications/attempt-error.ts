import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { ProviderError } from "@/lib/providers/errors";

/**
 * A failed provider attempt in words a user may read, for the attempt history and a dead
 * letter's reason. An outage says which provider and how it failed (its HTTP status, a timeout,
 * unreachable) but not the network error's own text, which may carry internals; refusals and
 * rate limits keep the provider's words (publicErrorMessage).
 */
export function attemptErrorMessage(error: unknown, context: Record<string, unknown> = {}): string {
  if (error instanceof ProviderError && error.kind === "transient") {
    const { provider, status, code } = error.details;
    if (code === "timeout") return `${provider}: request timed out`;
    if (status !== undefined) return `${error.message} (HTTP ${status})`;
    return `${provider}: could not be reached`;
  }
  return publicErrorMessage(error, context);
}
