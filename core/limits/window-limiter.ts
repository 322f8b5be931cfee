/**
 * Counts requests per key (a client's IP) in fixed windows and says when a key is over its
 * limit. In-process and bounded: past `maxKeys` keys the expired windows are dropped, and if a
 * flood of distinct keys still fills it, everything is (a forgotten key only starts a new
 * window), so hostile traffic cannot grow the memory without limit. Time is passed in, so the
 * rule is testable without waiting.
 */
export type WindowLimiter = {
  /** Counts one request; `allowed` false past the limit, with the seconds until the key's window ends. */
  take(key: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterSeconds: number };
  /** Keys currently remembered (for tests and metrics). */
  size(): number;
};

export function windowLimiter(options: { limit: number; windowMs: number; maxKeys: number }): WindowLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    take(key, nowMs) {
      let window = windows.get(key);
      if (!window || nowMs - window.startedAt >= options.windowMs) {
        if (!window && windows.size >= options.maxKeys) forgetExpired(nowMs);
        window = { startedAt: nowMs, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= options.limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + options.windowMs - nowMs) / 1000)) };
    },
    size: () => windows.size,
  };

  function forgetExpired(nowMs: number) {
    for (const [key, window] of windows) if (nowMs - window.startedAt >= options.windowMs) windows.delete(key);
    if (windows.size >= options.maxKeys) windows.clear();
  }
}
