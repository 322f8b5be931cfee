import { addDays, instantOfWallTime, wallTimeOf } from "./zoned-time";

/** `HH:MM` or `HH:MM:SS`, 24-hour. */
export const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** A daily window of local time; `end` before `start` crosses midnight (21:00–08:00). */
export type QuietHours = { start: string; end: string };

/** Seconds since local midnight of a `HH:MM[:SS]` clock time. */
export function clockSeconds(clock: string): number {
  const match = CLOCK_TIME.exec(clock);
  if (!match) throw new RangeError(`not a clock time: ${clock}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/**
 * When the quiet hours `now` falls in end, in `timeZone`; null when `now` is outside them (or
 * the window is empty: start equal to end). The end is a wall-clock time, so across a DST change
 * the window keeps its local hours (an 8:00 end is 8:00 on the clock either side of it).
 */
export function quietHoursEnd(now: Date, window: QuietHours, timeZone: string): Date | null {
  const start = clockSeconds(window.start);
  const end = clockSeconds(window.end);
  if (start === end) return null;
  const wall = wallTimeOf(now, timeZone);
  const seconds = wall.hour * 3600 + wall.minute * 60 + wall.second;
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? seconds >= start || seconds < end : seconds >= start && seconds < end;
  if (!inside) return null;
  // Past the start on the evening side of a window crossing midnight: it ends tomorrow.
  const day = crossesMidnight && seconds >= start ? addDays(wall, 1) : wall;
  const endWall = { ...day, hour: Math.floor(end / 3600), minute: Math.floor((end % 3600) / 60), second: end % 60 };
  const at = instantOfWallTime(endWall, timeZone);
  // A window ending inside a spring-forward gap can map to (or before) now: it has ended.
  return at.getTime() > now.getTime() ? at : null;
}
