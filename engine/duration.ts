const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses Inngest durations ("1s", "1h30m", "2d") to milliseconds; numbers are already ms. */
export function parseDuration(input: string | number | undefined | null): number | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === "number") return input;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
  let total = 0;
  let matched = "";
  for (const m of input.matchAll(re)) {
    total += Number(m[1]) * (UNITS[m[2] as string] ?? 0);
    matched += m[0];
  }
  return matched.length > 0 && matched === input.replace(/\s+/g, "") ? total : undefined;
}

/** A sleep target is either a duration or an ISO timestamp (sleepUntil). */
export function resolveTime(input: string, from: number): number {
  const d = parseDuration(input);
  if (d !== undefined) return from + d;
  const t = Date.parse(input);
  if (Number.isNaN(t)) throw new Error(`cannot parse time ${input}`);
  return t;
}
