import { describe, expect, it } from "vitest";
import { abVariantLabel } from "@/core/ab-tests/ab-test";
import { abDecisionAt, abHoldUntil, abRestSendAt, abSampleSize, abVariantOfRank, abVariantSendAt, isSendTimeTest } from "@/core/campaigns/ab-test";

describe("abSampleSize", () => {
  it.each([
    ["20 % of 1,000", 1_000, 20, 2, 200],
    ["rounded to the nearest recipient", 333, 10, 3, 33],
    ["at least one per variant", 10, 5, 4, 4],
    ["never more than the audience", 3, 50, 4, 3],
    ["an empty audience has no sample", 0, 20, 2, 0],
  ])("%s", (_case, audience, percent, variants, expected) => {
    expect(abSampleSize(audience, percent, variants)).toBe(expected);
  });
});

describe("abVariantOfRank", () => {
  it("deals the sample round-robin, so the variants differ in size by at most one", () => {
    for (const variants of [2, 3, 4]) {
      for (const sample of [0, 1, 7, 200, 201]) {
        const sizes = Array.from({ length: variants }, () => 0);
        for (let rank = 0; rank < sample; rank++) sizes[abVariantOfRank(rank, variants)]!++;
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(sample);
      }
    }
  });

  it("labels variants A, B, C, D", () => {
    expect([0, 1, 2, 3].map(abVariantLabel)).toEqual(["A", "B", "C", "D"]);
  });
});

const contentTest = { variants: [{ subject: "A" }, { subject: "B" }], windowMinutes: 240 };
/** A at the start (09:00 UTC), B three hours later (12:00 UTC). */
const sendTimeTest = { variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 180 }], windowMinutes: 240 };
const start = new Date("2026-12-07T09:00:00Z");

describe("abDecisionAt", () => {
  it("is the window after the sample started", () => {
    expect(abDecisionAt(start, contentTest).toISOString()).toBe("2026-12-07T13:00:00.000Z");
  });

  it("in a send-time test, is the window after the last variant went out", () => {
    expect(abDecisionAt(start, sendTimeTest).toISOString()).toBe("2026-12-07T16:00:00.000Z");
    expect(abVariantSendAt(start, sendTimeTest, 1).toISOString()).toBe("2026-12-07T12:00:00.000Z");
  });
});

describe("send-time tests", () => {
  it("are tests where some variant goes later than the start", () => {
    expect(isSendTimeTest(contentTest)).toBe(false);
    expect(isSendTimeTest({ variants: [{ subject: "A", sendDelayMinutes: 0 }, { subject: "B" }] })).toBe(false);
    expect(isSendTimeTest(sendTimeTest)).toBe(true);
  });

  it("hold the rest a day and an hour past the decision, as late as any time of day comes round; a content test only until the decision", () => {
    expect(abHoldUntil(start, contentTest).toISOString()).toBe("2026-12-07T13:00:00.000Z");
    expect(abHoldUntil(start, sendTimeTest).toISOString()).toBe("2026-12-08T17:00:00.000Z");
  });

  it("send the rest at the winner's time of day, the next time it comes round after the decision", () => {
    const decidedAt = abDecisionAt(start, sendTimeTest); // 16:00 UTC
    expect(abRestSendAt(sendTimeTest, { startedAt: start, winner: 1, decidedAt, timeZone: "UTC" })?.toISOString()).toBe("2026-12-08T12:00:00.000Z");
    expect(abRestSendAt(sendTimeTest, { startedAt: start, winner: 0, decidedAt, timeZone: "UTC" })?.toISOString()).toBe("2026-12-08T09:00:00.000Z");
    // Picked by hand at 11:00, before A's time of day comes round again but after B's sample left: B's 12:00 is today's.
    expect(abRestSendAt(sendTimeTest, { startedAt: start, winner: 1, decidedAt: new Date("2026-12-08T11:00:00Z"), timeZone: "UTC" })?.toISOString()).toBe("2026-12-08T12:00:00.000Z");
    expect(abRestSendAt(contentTest, { startedAt: start, winner: 1, decidedAt, timeZone: "UTC" })).toBeNull();
  });

  it("keep the winner's wall-clock time in the workspace's zone across a DST change", () => {
    // 09:00 in New York on Saturday 31 October 2026 (EDT, UTC−4); clocks go back on 1 November.
    const saturday = new Date("2026-10-31T13:00:00Z");
    const test = { variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 60 }], windowMinutes: 600 };
    const rest = abRestSendAt(test, { startedAt: saturday, winner: 0, decidedAt: abDecisionAt(saturday, test), timeZone: "America/New_York" });
    expect(rest?.toISOString()).toBe("2026-11-01T14:00:00.000Z"); // 09:00 EST
  });
});
