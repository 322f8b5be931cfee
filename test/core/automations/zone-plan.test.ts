import { describe, expect, it } from "vitest";
import { dateSendMessageKey, dueEventId, dueZones, journeyDateKey, journeyDueEventId, zoneGroups } from "@/core/automations/zone-plan";

const nine = { hour: 9, minute: 0 };

describe("the zone plan", () => {
  it("groups stored zones by the zone they follow: none and unknown ones go with the workspace's", () => {
    expect(zoneGroups(["Asia/Tokyo", null, "Mars/Base", "Europe/Paris", "Asia/Tokyo"], "Europe/Paris")).toEqual([
      { zone: "Asia/Tokyo", stored: ["Asia/Tokyo"], includesNone: false },
      { zone: "Europe/Paris", stored: ["Europe/Paris", "Mars/Base"], includesNone: true },
    ]);
    expect(zoneGroups([], "UTC")).toEqual([]);
  });

  it("asks for the zones whose local 09:00 has come today, each with its own local date", () => {
    const groups = zoneGroups(["America/New_York", "Europe/Paris", "Asia/Tokyo"], "UTC");
    // 08:00 UTC on 28 February 2027: 17:00 in Tokyo, 09:00 in Paris, 03:00 in New York.
    expect(dueZones(groups, nine, new Date("2027-02-28T08:00:00Z"))).toEqual([
      { zone: "Asia/Tokyo", localDate: "2027-02-28" },
      { zone: "Europe/Paris", localDate: "2027-02-28" },
    ]);
    // 15:30 UTC: Tokyo has moved on to 1 March (00:30, before 09:00), New York's 09:00 has come (10:30).
    expect(dueZones(groups, nine, new Date("2027-02-28T15:30:00Z"))).toEqual([
      { zone: "America/New_York", localDate: "2027-02-28" },
      { zone: "Europe/Paris", localDate: "2027-02-28" },
    ]);
  });

  it("names a zone's run and a contact's message deterministically", () => {
    const due = { zone: "Europe/Paris", localDate: "2027-02-28" };
    expect(dueEventId("a1", 7, due)).toBe(dueEventId("a1", 7, { ...due }));
    expect(dueEventId("a1", 7, due)).not.toBe(dueEventId("a1", 7, { ...due, localDate: "2028-02-28" }));
    // Resumed or edited (a new updated_at): the same day is asked for again; the claims stop repeats.
    expect(dueEventId("a1", 7, due)).not.toBe(dueEventId("a1", 8, due));
    expect(dateSendMessageKey("a1", "c1", 2027)).toBe("date-automation:a1:c1:2027");
  });
});

describe("date-triggered journeys' keys", () => {
  it("names a journey zone's run by version, last change, zone and local day", () => {
    expect(journeyDueEventId("j1", 2, 1_000, { zone: "Europe/Paris", localDate: "2027-02-28" })).toBe("journey-date-j1-v2-1000-Europe/Paris-2027-02-28");
  });

  it("keys a contact's date enrollment by journey and year only, so a new version or a replay does not enroll it twice that year", () => {
    expect(journeyDateKey("j1", 2027)).toBe("date-j1-2027");
    expect(journeyDateKey("j1", 2028)).not.toBe(journeyDateKey("j1", 2027));
  });
});
