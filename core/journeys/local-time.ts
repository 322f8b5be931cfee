import { addDays, instantOfWallTime, wallTimeOf } from "@/core/delivery/zoned-time";

/** The next instant after `now` at which the wall clock in `timeZone` shows `hhmm` (today's if still ahead, else tomorrow's). */
export function nextLocalTime(now: Date, hhmm: string, timeZone: string): Date {
  const [hour, minute] = hhmm.split(":").map(Number) as [number, number];
  const wall = { ...wallTimeOf(now, timeZone), hour, minute, second: 0 };
  const today = instantOfWallTime(wall, timeZone);
  return today.getTime() > now.getTime() ? today : instantOfWallTime(addDays(wall, 1), timeZone);
}
