import type { Backoff } from "./backoff";
import type { Store } from "./store/store";
import type { Transport } from "./transport";
import type { EngineEvent, Logger } from "./types";

/** What every engine module needs; one per engine instance. */
export interface EngineContext {
  store: Store;
  log: Logger;
  transport: Transport;
  /** Whether the engine may store and call this app URL (loopback only, unless allowed). */
  allowsAppUrl(url: string): boolean;
  signingKey?: string;
  signingKeyFallback?: string;
  /** Wait before retrying after a failed attempt (0-based); RetryAfterError overrides it. */
  backoff: Backoff;
  /** Accepts events as `POST /e/:key` does (through the intake queue); resolves with their ids. */
  emit(events: EngineEvent[]): Promise<string[]>;
  /** Wakes the scheduler now instead of at its next poll, or by `at` for work due later. */
  poke(at?: number): void;
  /** Serialises every state change of one run (parallel steps finish concurrently). */
  withRunLock<T>(runId: string, fn: () => Promise<T>): Promise<T>;
}

export function createRunLocks() {
  const chains = new Map<string, Promise<unknown>>();
  return async function withRunLock<T>(runId: string, fn: () => Promise<T>): Promise<T> {
    const prev = chains.get(runId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    chains.set(runId, tail);
    try {
      return await next;
    } finally {
      if (chains.get(runId) === tail) chains.delete(runId);
    }
  };
}
