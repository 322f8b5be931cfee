import { describe, expect, it } from "vitest";
import { clockSeconds, quietHoursEnd } from "@/core/delivery/quiet-hours";

const night = { start: "21:00", end: "08:00" };
const lunch = { start: "12:00", end: "13:30" };

describe("quietHoursEnd", () => {
  it.each([
    // [now (UTC), window, zone, expected end or null, why]
    ["2026-03-10T22:30:00Z", night, "UTC", "2026-03-11T08:00:00.000Z", "evening side of a window across midnight: ends tomorrow"],
    ["2026-03-10T03:00:00Z", night, "UTC", "2026-03-10T08:00:00.000Z", "morning side: ends today"],
    ["2026-03-10T21:00:00Z", night, "UTC", "2026-03-11T08:00:00.000Z", "the start is inside"],
    ["2026-03-10T08:00:00Z", night, "UTC", null, "the end is outside"],
    ["2026-03-10T15:00:00Z", night, "UTC", null, "afternoon: outside"],
    ["2026-03-10T12:15:00Z", lunch, "UTC", "2026-03-10T13:30:00.000Z", "a window within one day"],
    ["2026-03-10T13:30:00Z", lunch, "UTC", null, "its end is outside"],
    ["2026-03-10T11:59:59Z", lunch, "UTC", null, "a second before its start"],
    ["2026-03-10T12:00:00Z", { start: "12:00", end: "12:00" }, "UTC", null, "start equal to end: no quiet hours"],
    // The contact's zone, not the server's: 22:30 UTC is 23:30 in Berlin (CET), inside; 08:00 CET is 07:00 UTC.
    ["2026-01-15T22:30:00Z", night, "Europe/Berlin", "2026-01-16T07:00:00.000Z", "evaluated in the contact's zone"],
    // 14:00 UTC is 23:00 in Tokyo: inside, ending 08:00 JST = 23:00 UTC.
    ["2026-01-15T14:00:00Z", night, "Asia/Tokyo", "2026-01-15T23:00:00.000Z", "a zone ahead of UTC"],
    ["2026-01-15T14:00:00Z", night, "America/New_York", null, "09:00 in New York: outside"],
    // Spring forward in New York (2026-03-08, 02:00 EST → 03:00 EDT): the night is an hour shorter,
    // and 08:00 is 12:00 UTC (EDT), not 13:00.
    ["2026-03-08T03:00:00Z", night, "America/New_York", "2026-03-08T12:00:00.000Z", "across spring forward the end is 08:00 local"],
    // Fall back (2026-11-01, 02:00 EDT → 01:00 EST): 08:00 EST is 13:00 UTC.
    ["2026-11-01T03:00:00Z", night, "America/New_York", "2026-11-01T13:00:00.000Z", "across fall back the end is 08:00 local"],
    // An end inside the spring-forward gap (02:30 does not exist that night) is moved forward by the gap: 03:30 EDT.
    ["2026-03-08T06:00:00Z", { start: "00:00", end: "02:30" }, "America/New_York", "2026-03-08T07:30:00.000Z", "an end in the gap moves forward"],
    // An end in the repeated hour of fall back (01:30 happens twice) is its first occurrence (EDT).
    ["2026-11-01T04:00:00Z", { start: "00:00", end: "01:30" }, "America/New_York", "2026-11-01T05:30:00.000Z", "an ambiguous end is its first occurrence"],
    ["2026-03-10T12:00:10Z", { start: "12:00:00", end: "12:00:30" }, "UTC", "2026-03-10T12:00:30.000Z", "seconds are honoured"],
  ] as [string, { start: string; end: string }, string, string | null, string][])("%s in %s (%s): %s", (now, window, zone, expected) => {
    const end = quietHoursEnd(new Date(now), window, zone);
    expect(end?.toISOString() ?? null).toBe(expected);
  });

  it.each(["24:00", "7:00", "12:60", "noon", ""])("refuses %j as a clock time", (clock) => {
    expect(() => clockSeconds(clock)).toThrow(RangeError);
  });
});
