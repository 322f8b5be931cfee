import { evalKey } from "../expressions";
import type { ConcurrencyConfig, EngineEvent, FnConfig } from "../types";

/**
 * Concurrency keys a run occupies while one of its calls is in flight. Sleeping or waiting runs
 * make no call, so they hold no slot — Inngest's documented semantics.
 * scope fn: per function (and key value); env/account: shared by every function using the same key value.
 */
export function concurrencyKeys(fnId: string, cfg: FnConfig, event: EngineEvent): Array<{ key: string; limit: number }> {
  const raw = cfg.concurrency;
  if (raw === undefined) return [];
  const list: ConcurrencyConfig[] = typeof raw === "number" ? [{ limit: raw }] : Array.isArray(raw) ? raw : [raw];
  // Inngest ignores concurrency keys on batched functions (a batch mixes key values).
  return list
    .map((c) => (cfg.batchEvents && c.key && (c.scope ?? "fn") === "fn" ? { ...c, key: undefined } : c))
    .filter((c) => c.limit > 0)
    .slice(0, 2)
    .map((c) => {
      const scope = c.scope ?? "fn";
      const value = c.key ? evalKey(c.key, { event }) : "";
      const key = scope === "fn" ? `fn:${fnId}:${value}` : `${scope}:${c.key ? value : fnId}`;
      return { key, limit: c.limit };
    });
}

/**
 * In-memory slot counter: the engine is single-process and in-flight calls do not survive a restart.
 * Each function checks a shared key against its own limit (Inngest's documented behaviour when two
 * functions give one env/account key different limits).
 */
export class ConcurrencySlots {
  private used = new Map<string, number>();
  /** Largest limit seen per key in use: at that count no job of the key can start. */
  private maxLimit = new Map<string, number>();

  canAcquire(keys: Array<{ key: string; limit: number }>): boolean {
    return !keys.some((k) => (this.used.get(k.key) ?? 0) >= k.limit);
  }

  acquire(keys: Array<{ key: string; limit: number }>): void {
    for (const k of keys) {
      this.used.set(k.key, (this.used.get(k.key) ?? 0) + 1);
      this.maxLimit.set(k.key, Math.max(this.maxLimit.get(k.key) ?? 0, k.limit));
    }
  }

  release(keys: Array<{ key: string; limit: number }>): void {
    for (const k of keys) {
      const n = (this.used.get(k.key) ?? 1) - 1;
      if (n <= 0) {
        this.used.delete(k.key);
        this.maxLimit.delete(k.key);
      } else this.used.set(k.key, n);
    }
  }

  /** Keys no job can use right now (the scheduler leaves their jobs out of its query). */
  fullKeys(): string[] {
    return [...this.used].filter(([k, n]) => n >= (this.maxLimit.get(k) ?? Infinity)).map(([k]) => k);
  }
}
