import { addDays, instantOfWallTime, wallTimeOf } from "@/core/delivery/zoned-time";

/**
 * When a date automation sends (issue 17): on a contact's date each year, at a local wall-clock
 * time in the contact's zone. Pure: the plan, the sender and the preview all decide with these.
 */

/** A calendar day without a year (a birthday, an anniversary): month 1–12, day 1–31. */
export type MonthDay = { month: number; day: number };
/** A calendar day, as in `2027-02-28`. */
export type LocalDate = { year: number; month: number; day: number };

/** The date fields an automation can run on. */
export type DateField = { kind: "birthday" } | { kind: "created_at" } | { kind: "attribute"; key: string };

/** An attribute's key: what contacts.attributes accept (letters, digits, `_`, `-`, `.`; at most 64). */
export const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const DATE_FIELD_RULE = "must be `birthday`, `created_at` or `attribute:<key>` (an attribute holding YYYY-MM-DD or --MM-DD)";

/** `birthday`, `created_at` or `attribute:<key>`; null for anything else. */
export function parseDateField(text: string): DateField | null {
  if (text === "birthday" || text === "created_at") return { kind: text };
  if (text.startsWith("attribute:")) {
    const key = text.slice("attribute:".length);
    return ATTRIBUTE_KEY.test(key) ? { kind: "attribute", key } : null;
  }
  return null;
}

const MAX_DAY = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Month and day of `YYYY-MM-DD` or year-less `--MM-DD` (29 February allowed without a year); null otherwise. */
export function monthDayOf(value: unknown): (MonthDay & { year: number | null }) | null {
  if (typeof value !== "string") return null;
  const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const year = match[1] === "-" ? null : Number(match[1]);
  const [month, day] = [Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > MAX_DAY[month - 1]!) return null;
  if (year !== null && month === 2 && day === 29 && !isLeapYear(year)) return null;
  return { year, month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The day a month/day falls on in `year`: 29 February is 28 February in a year without one. */
export function observedDate(date: MonthDay, year: number): LocalDate {
  if (date.month === 2 && date.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
  return { year, month: date.month, day: date.day };
}

/** The stored month/days observed on `date`: its own, plus 29 February on 28 February of a non-leap year. */
export function monthDaysObservedOn(date: LocalDate): MonthDay[] {
  const own = { month: date.month, day: date.day };
  return date.month === 2 && date.day === 28 && !isLeapYear(date.year) ? [own, { month: 2, day: 29 }] : [own];
}

export const formatLocalDate = (date: LocalDate) =>
  `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;

/** `YYYY-MM-DD` that names a real day; null otherwise. */
export function parseLocalDate(text: string): LocalDate | null {
  const parsed = monthDayOf(text);
  return parsed && parsed.year !== null ? { year: parsed.year, month: parsed.month, day: parsed.day } : null;
}

/** The calendar day `now` is in `zone`. */
export function localDateIn(now: Date, zone: string): LocalDate {
  const wall = wallTimeOf(now, zone);
  return { year: wall.year, month: wall.month, day: wall.day };
}

export const nextDay = (date: LocalDate): LocalDate => {
  const { year, month, day } = addDays({ ...date, hour: 0, minute: 0, second: 0 }, 1);
  return { year, month, day };
};

/** The local send time of an automation: hour 0–23, minute 0–59. */
export type SendTime = { hour: number; minute: number };

/**
 * The instant of the send time on `date` in `zone`. A time the clocks skip (02:30 on a spring-
 * forward night) is moved forward by the gap; a time that happens twice is its first occurrence.
 */
export function sendInstant(date: LocalDate, time: SendTime, zone: string): Date {
  return instantOfWallTime({ ...date, hour: time.hour, minute: time.minute, second: 0 }, zone);
}

/**
 * Whether a zone's send is due at `now`: from the local send time until the end of that local
 * day, so a plan run that was late (or missed) still sends the same day, and never the day after.
 * Compared on the wall clock, so a send time skipped by a spring-forward change is due from the
 * first minute after the gap. `localDate` is the zone's day the send belongs to.
 */
export function zoneSendDue(now: Date, time: SendTime, zone: string): { localDate: LocalDate; due: boolean } {
  const wall = wallTimeOf(now, zone);
  const due = wall.hour > time.hour || (wall.hour === time.hour && wall.minute >= time.minute);
  return { localDate: { year: wall.year, month: wall.month, day: wall.day }, due };
}

/**
 * Whether a contact's date is due at `now` in its zone: the local day is the date's observed day
 * this year (29 February on 28 February in other years) and the send time has come.
 */
export function dateSendDue(params: { date: MonthDay; zone: string; time: SendTime; now: Date }): { localDate: LocalDate; due: boolean } {
  const { localDate, due } = zoneSendDue(params.now, params.time, params.zone);
  const observed = observedDate(params.date, localDate.year);
  const today = observed.month === localDate.month && observed.day === localDate.day;
  return { localDate, due: due && today };
}

/** A zone the runtime knows; anything else (stored before validation, dropped from tzdata) is not one. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone a contact's sends follow: its own when the runtime knows it, else the workspace's. */
export const effectiveZone = (contactZone: string | null | undefined, workspaceZone: string): string =>
  contactZone && isKnownZone(contactZone) ? contactZone : workspaceZone;
