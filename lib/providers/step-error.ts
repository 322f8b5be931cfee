import { NonRetriableError, RetryAfterError } from "inngest";
import { ConfigError } from "@/core/config/env";
import { ProviderError } from "./errors";

/**
 * What a failure inside a step becomes for Inngest, the same for every function that calls a
 * provider: a rate limit waits as long as the provider asked (RetryAfterError; a 429 is never a
 * failed recipient), a setting no retry can fix stops the run (NonRetriableError), as does any
 * error the caller names `final`; anything else is thrown as it is and retried as usual.
 */
export function stepError(error: unknown, final: (error: unknown) => boolean = () => false): unknown {
  if (error instanceof ProviderError && error.kind === "rate-limited") {
    return new RetryAfterError(error.message, new Date(Date.now() + (error.details.retryAfterMs ?? 1_000)));
  }
  if (error instanceof ConfigError || final(error)) return new NonRetriableError((error as Error).message, { cause: error });
  return error;
}
