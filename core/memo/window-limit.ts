/**
 * At most `limit` hits per key in each fixed window of `windowMs`, with memory bounded by
 * `maxKeys`: every window starts from nothing, and once `maxKeys` keys are counted in a window
 * new keys pass uncounted until it ends, so spraying keys can neither grow the map nor reset the
 * counts of the keys already over their limit. Returns whether this hit is within the limit.
 * `now` is passed in (milliseconds) so the rule stays pure and testable.
 */
export function windowLimit(params: { limit: number; windowMs: number; maxKeys: number }): (key: string, now: number) => boolean {
  const counts = new Map<string, number>();
  let windowStart = Number.NEGATIVE_INFINITY;
  return (key, now) => {
    if (now - windowStart >= params.windowMs) {
      counts.clear();
      windowStart = now;
    }
    const count = counts.get(key);
    if (count === undefined) {
      if (counts.size < params.maxKeys) counts.set(key, 1);
      return params.limit >= 1;
    }
    counts.set(key, count + 1);
    return count + 1 <= params.limit;
  };
}
