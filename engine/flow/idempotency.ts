import type { Store } from "../store/store";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One run per function and idempotency key value for 24 hours. */
export function claimIdempotency(store: Store, fnId: string, keyValue: string, runId: string, now: number): Promise<boolean> {
  return store.claimFlow("idempotency", `${fnId}:${keyValue}`, { runId }, now + IDEMPOTENCY_WINDOW_MS, now);
}
