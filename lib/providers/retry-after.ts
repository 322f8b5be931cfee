/**
 * Milliseconds to wait from a `Retry-After` header: either delay-seconds (Resend sends whole
 * seconds; fractions are accepted) or an HTTP-date. Undefined when absent or unparseable, so
 * callers can fall back to their own default instead of retrying immediately.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // Date.parse accepts "-1" (year -1); an HTTP-date always names its weekday and month.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
