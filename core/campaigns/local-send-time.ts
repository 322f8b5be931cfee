import { normalizeTimezone } from "@/core/contacts/normalize-timezone";
import { addDays, instantOfWallTime, wallTimeOf } from "@/core/delivery/zoned-time";

/**
 * "Deliver at 09:00 in each recipient's time zone" (campaigns.local_send_time): the arithmetic,
 * with no I/O. A recipient's zone is its contact's `timezone` when that names a zone the runtime
 * knows, else the workspace's delivery-settings zone; the campaign reaches each zone at the local
 * time on the local date of `sendAt`, or on the next day when that moment had already passed.
 */

/** "HH:MM", 24-hour. */
export const LOCAL_SEND_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const LOCAL_SEND_TIME_RULE = "a 24-hour local time HH:MM, such as 09:00";

/** The zone a recipient is sent in: its own if valid, else the workspace's. */
export function recipientZone(contactZone: string | null | undefined, workspaceZone: string): string {
  if (contactZone) {
    const zone = normalizeTimezone(contactZone);
    if (zone.ok) return zone.value;
  }
  return workspaceZone;
}

/**
 * The instant `localTime` shows in `timeZone` on the local date `sendAt` falls on there; the same
 * time a day later when that is before `sendAt`. On a spring-forward day a time that does not
 * exist moves forward by the gap (02:30 → 03:30), and on a fall-back day a time that occurs twice
 * is its first occurrence (zoned-time.ts), so every zone gets exactly one instant.
 */
export function localSendInstant(sendAt: Date, localTime: string, timeZone: string): Date {
  const match = LOCAL_SEND_TIME.exec(localTime);
  if (!match) throw new RangeError(`not a local send time: ${localTime}`);
  const clock = { hour: Number(match[1]), minute: Number(match[2]), second: 0 };
  const today = { ...wallTimeOf(sendAt, timeZone), ...clock };
  const instant = instantOfWallTime(today, timeZone);
  return instant.getTime() >= sendAt.getTime() ? instant : instantOfWallTime(addDays(today, 1), timeZone);
}
