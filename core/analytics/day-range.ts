import { addDays, instantOfWallTime, wallTimeOf } from "@/core/delivery/zoned-time";

/** A calendar day as the API writes it: `2026-12-01`. */
export const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDay(text: string): boolean {
  if (!CALENDAR_DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The calendar day `instant` falls on in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): string {
  const wall = wallTimeOf(instant, timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** `day` moved by `days` calendar days. */
export function shiftDay(day: string, days: number): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const wall = addDays({ year, month, day: date, hour: 0, minute: 0, second: 0 }, days);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** How many calendar days from `fromDay` to `toDay`, both counted (1 for the same day). */
export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The instants that bound the local days `fromDay`..`toDay` (both included) in `timeZone`:
 * [local midnight of the first, local midnight after the last). A day with a DST change is 23
 * or 25 hours long, as a person there lived it.
 */
export function localDayRange(fromDay: string, toDay: string, timeZone: string): { since: Date; until: Date } {
  const midnight = (day: string) => {
    const [year, month, date] = day.split("-").map(Number) as [number, number, number];
    return instantOfWallTime({ year, month, day: date, hour: 0, minute: 0, second: 0 }, timeZone);
  };
  return { since: midnight(fromDay), until: midnight(shiftDay(toDay, 1)) };
}
