import { describe, expect, it } from "vitest";
import { dayIn, daysBetween, isCalendarDay, localDayRange, shiftDay } from "@/core/analytics/day-range";

describe("calendar days", () => {
  it.each([
    ["2026-12-01", true],
    ["2026-02-29", false],
    ["2028-02-29", true],
    ["2026-13-01", false],
    ["2026-1-01", false],
    ["yesterday", false],
  ])("isCalendarDay(%s) = %s", (text, expected) => expect(isCalendarDay(text)).toBe(expected));

  it.each([
    ["2026-12-01T22:30:00Z", "UTC", "2026-12-01"],
    ["2026-12-01T22:30:00Z", "Asia/Tokyo", "2026-12-02"],
    ["2026-12-01T03:30:00Z", "America/Los_Angeles", "2026-11-30"],
  ])("dayIn(%s, %s) = %s", (instant, zone, day) => expect(dayIn(new Date(instant), zone)).toBe(day));

  it.each([
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2026-12-06", -29, "2026-11-07"],
  ])("shiftDay(%s, %i) = %s", (day, days, expected) => expect(shiftDay(day, days)).toBe(expected));

  it.each([
    ["2026-12-01", "2026-12-01", 1],
    ["2026-11-07", "2026-12-06", 30],
    ["2026-12-02", "2026-12-01", 0],
  ])("daysBetween(%s, %s) = %i", (from, to, count) => expect(daysBetween(from, to)).toBe(count));

  it.each([
    ["2026-12-01", "2026-12-01", "UTC", "2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z"],
    ["2026-12-01", "2026-12-02", "Europe/Paris", "2026-11-30T23:00:00.000Z", "2026-12-02T23:00:00.000Z"],
    // The night clocks go back: a 25-hour day.
    ["2026-10-25", "2026-10-25", "Europe/Paris", "2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"],
    ["2026-12-01", "2026-12-01", "Asia/Kolkata", "2026-11-30T18:30:00.000Z", "2026-12-01T18:30:00.000Z"],
  ])("localDayRange(%s, %s, %s)", (from, to, zone, since, until) => {
    const range = localDayRange(from, to, zone);
    expect([range.since.toISOString(), range.until.toISOString()]).toEqual([since, until]);
  });
});
