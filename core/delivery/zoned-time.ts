/**
 * Wall-clock arithmetic in an IANA time zone with Intl alone (no tz database of our own): the
 * runtime's zone data is the maintained one, and it follows DST transitions exactly.
 */

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall clock of `instant` in `timeZone`. */
export function wallTimeOf(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

const asUtcMs = (wall: WallTime) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return asUtcMs(wallTimeOf(new Date(instant), timeZone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall clock shows `wall` in `timeZone`. Like Temporal's `compatible`
 * disambiguation: a time that occurs twice (clocks turned back) is its first occurrence, and a
 * time that never occurs (clocks turned forward) is moved forward by the gap (02:30 on a spring-
 * forward night in New York is 03:30 EDT), so a quiet-hours end is never earlier than meant.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): Date {
  const naive = asUtcMs(wall);
  const DAY_MS = 86_400_000;
  const before = naive - zoneOffsetMs(naive - DAY_MS, timeZone);
  const after = naive - zoneOffsetMs(naive + DAY_MS, timeZone);
  const valid = [before, after].filter((candidate) => asUtcMs(wallTimeOf(new Date(candidate), timeZone)) === naive);
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(before);
}

/** `wall`'s calendar day moved by `days` (the clock time unchanged). */
export function addDays(wall: WallTime, days: number): WallTime {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
