import { describe, expect, it } from "vitest";
import { localSendInstant, recipientZone } from "@/core/campaigns/local-send-time";

describe("localSendInstant", () => {
  it.each([
    ["later the same local day", "2026-12-07T06:00:00Z", "09:00", "Europe/Paris", "2026-12-07T08:00:00.000Z"],
    ["already passed there: the next local day", "2026-12-07T08:00:00Z", "09:00", "Asia/Tokyo", "2026-12-08T00:00:00.000Z"],
    ["the local date, not the UTC date, of sendAt", "2026-12-07T02:00:00Z", "09:00", "America/New_York", "2026-12-07T14:00:00.000Z"],
    ["exactly at sendAt: that instant", "2026-12-07T09:00:00Z", "09:00", "UTC", "2026-12-07T09:00:00.000Z"],
    ["a zone with a quarter-hour offset", "2026-12-07T00:00:00Z", "09:00", "Asia/Kathmandu", "2026-12-07T03:15:00.000Z"],
    ["spring forward in New York: 09:00 is EDT", "2026-03-08T05:00:00Z", "09:00", "America/New_York", "2026-03-08T13:00:00.000Z"],
    ["spring forward in New York: 02:30 does not exist, 03:30 EDT", "2026-03-08T05:00:00Z", "02:30", "America/New_York", "2026-03-08T07:30:00.000Z"],
    ["fall back in New York: 01:30 happens twice, the first (EDT)", "2026-11-01T04:00:00Z", "01:30", "America/New_York", "2026-11-01T05:30:00.000Z"],
    ["fall back in New York: 09:00 is EST", "2026-11-01T04:00:00Z", "09:00", "America/New_York", "2026-11-01T14:00:00.000Z"],
    ["spring forward in Paris: 09:00 is CEST", "2026-03-28T23:30:00Z", "09:00", "Europe/Paris", "2026-03-29T07:00:00.000Z"],
    ["the next day across a spring-forward night", "2026-03-28T10:00:00Z", "09:00", "Europe/Paris", "2026-03-29T07:00:00.000Z"],
  ])("%s", (_case, sendAt, localTime, zone, expected) => {
    expect(localSendInstant(new Date(sendAt), localTime, zone).toISOString()).toBe(expected);
  });

  it("is never before sendAt and always shows the local time on the zone's clock", () => {
    const zones = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "America/Santiago", "Europe/London", "Asia/Kolkata"];
    for (let hour = 0; hour < 24 * 7; hour += 5) {
      const sendAt = new Date(Date.UTC(2026, 9, 20) + hour * 3_600_000);
      for (const zone of zones) {
        const instant = localSendInstant(sendAt, "09:00", zone);
        expect(instant.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
        expect(instant.getTime() - sendAt.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
        expect(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant)).toBe("09:00");
      }
    }
  });

  it("refuses what is not HH:MM", () => {
    expect(() => localSendInstant(new Date(), "9:00", "UTC")).toThrow(RangeError);
    expect(() => localSendInstant(new Date(), "24:00", "UTC")).toThrow(RangeError);
  });
});

describe("recipientZone", () => {
  it.each([
    ["the contact's zone, canonically spelled", "europe/paris", "Europe/Paris"],
    ["the workspace's zone when the contact has none", null, "America/Chicago"],
    ["the workspace's zone for an unknown name", "Mars/Olympus_Mons", "America/Chicago"],
    ["the workspace's zone for an offset, which is not a zone", "+05:00", "America/Chicago"],
  ])("%s", (_case, contactZone, expected) => {
    expect(recipientZone(contactZone, "America/Chicago")).toBe(expected);
  });
});
