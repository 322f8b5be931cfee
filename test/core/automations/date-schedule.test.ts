import { describe, expect, it } from "vitest";
import {
  dateSendDue,
  effectiveZone,
  monthDayOf,
  monthDaysObservedOn,
  observedDate,
  parseDateField,
  parseLocalDate,
  sendInstant,
  zoneSendDue,
} from "@/core/automations/date-schedule";

const at = (iso: string) => new Date(iso);
const nine = { hour: 9, minute: 0 };

describe("date fields", () => {
  it("knows birthday, created_at and attribute:<key>, and nothing else", () => {
    expect(parseDateField("birthday")).toEqual({ kind: "birthday" });
    expect(parseDateField("created_at")).toEqual({ kind: "created_at" });
    expect(parseDateField("attribute:renewal_date")).toEqual({ kind: "attribute", key: "renewal_date" });
    for (const bad of ["birth_day", "attribute:", "attribute:9lives", "attribute:a b", "updated_at", ""]) expect(parseDateField(bad), bad).toBeNull();
  });

  it("reads full and year-less dates, refusing days that do not exist", () => {
    expect(monthDayOf("1990-07-14")).toEqual({ year: 1990, month: 7, day: 14 });
    expect(monthDayOf("--02-29")).toEqual({ year: null, month: 2, day: 29 });
    expect(monthDayOf("2000-02-29")).toEqual({ year: 2000, month: 2, day: 29 });
    for (const bad of ["1999-02-29", "--02-30", "--13-01", "--04-31", "1990-7-14", "14/07/1990", 19900714, null]) expect(monthDayOf(bad), String(bad)).toBeNull();
    expect(parseLocalDate("--02-29")).toBeNull();
    expect(parseLocalDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe("29 February", () => {
  it("falls on 28 February in a non-leap year and on itself in a leap year (2000 yes, 1900 and 2100 no)", () => {
    expect(observedDate({ month: 2, day: 29 }, 2027)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(observedDate({ month: 2, day: 29 }, 2028)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(observedDate({ month: 2, day: 29 }, 2000)).toEqual({ year: 2000, month: 2, day: 29 });
    expect(observedDate({ month: 2, day: 29 }, 2100)).toEqual({ year: 2100, month: 2, day: 28 });
    expect(observedDate({ month: 3, day: 1 }, 2027)).toEqual({ year: 2027, month: 3, day: 1 });
  });

  it("is looked up with 28 February only in non-leap years", () => {
    expect(monthDaysObservedOn({ year: 2027, month: 2, day: 28 })).toEqual([{ month: 2, day: 28 }, { month: 2, day: 29 }]);
    expect(monthDaysObservedOn({ year: 2028, month: 2, day: 28 })).toEqual([{ month: 2, day: 28 }]);
    expect(monthDaysObservedOn({ year: 2028, month: 2, day: 29 })).toEqual([{ month: 2, day: 29 }]);
    expect(monthDaysObservedOn({ year: 2027, month: 3, day: 1 })).toEqual([{ month: 3, day: 1 }]);
  });

  it("is due on 28 February 2027 at 09:00 local, and on 29 February 2028, never on 1 March", () => {
    const leapling = { date: { month: 2, day: 29 }, zone: "Europe/Paris", time: nine };
    expect(dateSendDue({ ...leapling, now: at("2027-02-28T08:00:00Z") })).toEqual({ localDate: { year: 2027, month: 2, day: 28 }, due: true });
    expect(dateSendDue({ ...leapling, now: at("2027-03-01T08:00:00Z") }).due).toBe(false);
    expect(dateSendDue({ ...leapling, now: at("2028-02-28T08:00:00Z") }).due).toBe(false);
    expect(dateSendDue({ ...leapling, now: at("2028-02-29T08:00:00Z") }).due).toBe(true);
  });
});

describe("due from the local send time until the end of the local day", () => {
  const birthday = { date: { month: 7, day: 14 }, time: nine };

  it("is not due a minute before 09:00 local, due at 09:00 and still at 23:59, not the next day", () => {
    const zone = "America/New_York"; // EDT in July: UTC−4
    expect(dateSendDue({ ...birthday, zone, now: at("2027-07-14T12:59:00Z") }).due).toBe(false);
    expect(dateSendDue({ ...birthday, zone, now: at("2027-07-14T13:00:00Z") }).due).toBe(true);
    expect(dateSendDue({ ...birthday, zone, now: at("2027-07-15T03:59:00Z") }).due).toBe(true);
    expect(dateSendDue({ ...birthday, zone, now: at("2027-07-15T04:00:00Z") }).due).toBe(false);
  });

  it("uses the contact's own calendar day: one UTC instant is the 14th in Tokyo and the 13th in New York", () => {
    const now = at("2027-07-14T01:00:00Z");
    expect(dateSendDue({ ...birthday, zone: "Asia/Tokyo", now })).toEqual({ localDate: { year: 2027, month: 7, day: 14 }, due: true });
    expect(dateSendDue({ ...birthday, zone: "America/New_York", now })).toEqual({ localDate: { year: 2027, month: 7, day: 13 }, due: false });
  });

  it("handles the ends of the clock: UTC+14 is a day ahead of UTC−12", () => {
    const kiritimati = "Pacific/Kiritimati"; // UTC+14
    const midOcean = "Etc/GMT+12"; // UTC−12
    expect(dateSendDue({ ...birthday, zone: kiritimati, now: at("2027-07-13T19:00:00Z") })).toEqual({ localDate: { year: 2027, month: 7, day: 14 }, due: true });
    expect(dateSendDue({ ...birthday, zone: kiritimati, now: at("2027-07-13T18:59:00Z") }).due).toBe(false);
    expect(dateSendDue({ ...birthday, zone: midOcean, now: at("2027-07-14T21:00:00Z") })).toEqual({ localDate: { year: 2027, month: 7, day: 14 }, due: true });
    expect(dateSendDue({ ...birthday, zone: midOcean, now: at("2027-07-15T11:59:00Z") }).due).toBe(true);
    expect(dateSendDue({ ...birthday, zone: midOcean, now: at("2027-07-15T12:00:00Z") }).due).toBe(false);
  });

  it("keeps 09:00 on the wall clock across DST: Paris is UTC+1 in winter and UTC+2 in summer", () => {
    expect(sendInstant({ year: 2027, month: 1, day: 10 }, nine, "Europe/Paris").toISOString()).toBe("2027-01-10T08:00:00.000Z");
    expect(sendInstant({ year: 2027, month: 7, day: 10 }, nine, "Europe/Paris").toISOString()).toBe("2027-07-10T07:00:00.000Z");
    // The day the clocks go forward (28 March 2027) and back (31 October 2027).
    expect(sendInstant({ year: 2027, month: 3, day: 28 }, nine, "Europe/Paris").toISOString()).toBe("2027-03-28T07:00:00.000Z");
    expect(sendInstant({ year: 2027, month: 10, day: 31 }, nine, "Europe/Paris").toISOString()).toBe("2027-10-31T08:00:00.000Z");
  });

  it("sends a time the clocks skip right after the gap, and a time they repeat at its first occurrence", () => {
    const halfPastTwo = { hour: 2, minute: 30 };
    // New York, 14 March 2027: 02:00 EST becomes 03:00 EDT; 02:30 never shows.
    expect(zoneSendDue(at("2027-03-14T06:59:00Z"), halfPastTwo, "America/New_York").due).toBe(false); // 01:59 EST
    expect(zoneSendDue(at("2027-03-14T07:00:00Z"), halfPastTwo, "America/New_York").due).toBe(true); // 03:00 EDT
    expect(sendInstant({ year: 2027, month: 3, day: 14 }, halfPastTwo, "America/New_York").toISOString()).toBe("2027-03-14T07:30:00.000Z");
    // 7 November 2027: 01:30 happens twice (EDT, then EST); the first is the send.
    const halfPastOne = { hour: 1, minute: 30 };
    expect(sendInstant({ year: 2027, month: 11, day: 7 }, halfPastOne, "America/New_York").toISOString()).toBe("2027-11-07T05:30:00.000Z");
    expect(zoneSendDue(at("2027-11-07T05:30:00Z"), halfPastOne, "America/New_York").due).toBe(true);
  });
});

describe("zones", () => {
  it("uses the contact's zone, or the workspace's when it has none or one the runtime does not know", () => {
    expect(effectiveZone("Asia/Tokyo", "Europe/Paris")).toBe("Asia/Tokyo");
    expect(effectiveZone(null, "Europe/Paris")).toBe("Europe/Paris");
    expect(effectiveZone("Mars/Olympus_Mons", "Europe/Paris")).toBe("Europe/Paris");
  });
});
