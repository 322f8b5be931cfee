import { describe, expect, it } from "vitest";
import { abDecisionAt, abHoldUntil, abRestSendAt, abSampleSize, abVariantLabel, abVariantOfRank, abVariantSendAt, isSendTimeTest, normalCdf, pickAbWinner, twoProportionZTest } from "@/core/campaigns/ab-test";

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

describe("normalCdf", () => {
  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-1.959964, 0.025],
    [2.575829, 0.995],
    [1, 0.841345],
  ])("Φ(%s) = %s", (z, expected) => {
    expect(normalCdf(z)).toBeCloseTo(expected, 5);
  });
});

describe("twoProportionZTest", () => {
  it.each([
    // pooled 0.175, se 0.016991, z 2.9427
    ["20 % against 15 % of 1,000 each", { sent: 1_000, conversions: 200 }, { sent: 1_000, conversions: 150 }, 2.9427, 0.003254],
    ["the same rate: nothing to tell apart", { sent: 500, conversions: 50 }, { sent: 400, conversions: 40 }, 0, 1],
    ["a small sample: not significant", { sent: 20, conversions: 4 }, { sent: 20, conversions: 2 }, 0, null],
  ])("%s", (_case, a, b, z, p) => {
    const result = twoProportionZTest(a, b);
    if (p !== null) {
      expect(result.z).toBeCloseTo(z, 3);
      expect(result.pValue).toBeCloseTo(p, 5);
    } else {
      expect(result.pValue).toBeGreaterThan(0.05);
    }
  });

  it("is symmetric in its p-value and antisymmetric in z", () => {
    const a = { sent: 300, conversions: 90 };
    const b = { sent: 280, conversions: 60 };
    expect(twoProportionZTest(a, b).pValue).toBeCloseTo(twoProportionZTest(b, a).pValue, 12);
    expect(twoProportionZTest(a, b).z).toBeCloseTo(-twoProportionZTest(b, a).z, 12);
  });

  it.each([
    ["an empty side", { sent: 0, conversions: 0 }, { sent: 10, conversions: 3 }],
    ["no conversions anywhere", { sent: 10, conversions: 0 }, { sent: 10, conversions: 0 }],
    ["everyone converted on both sides", { sent: 10, conversions: 10 }, { sent: 5, conversions: 5 }],
  ])("p = 1 with %s", (_case, a, b) => {
    expect(twoProportionZTest(a, b)).toEqual({ z: 0, pValue: 1 });
  });
});

describe("pickAbWinner", () => {
  it("picks the highest rate, not the most conversions", () => {
    const outcome = pickAbWinner([
      { sent: 1_000, conversions: 150 },
      { sent: 500, conversions: 100 },
    ]);
    expect(outcome.winner).toBe(1);
    expect(outcome.rates).toEqual([0.15, 0.2]);
    expect(outcome.pValue).toBeLessThan(0.05);
    expect(outcome.confidence).toBeCloseTo(1 - outcome.pValue, 12);
  });

  it("on a tie picks the first of the tied variants, with p = 1", () => {
    const outcome = pickAbWinner([
      { sent: 10, conversions: 1 },
      { sent: 20, conversions: 4 },
      { sent: 10, conversions: 2 },
    ]);
    expect(outcome.winner).toBe(1);
    expect(outcome.pValue).toBeCloseTo(1, 6);
    expect(pickAbWinner([{ sent: 0, conversions: 0 }, { sent: 0, conversions: 0 }]).winner).toBe(0);
  });

  it("compares the winner with the runner-up", () => {
    const counts = [
      { sent: 100, conversions: 10 },
      { sent: 100, conversions: 30 },
      { sent: 100, conversions: 25 },
    ];
    expect(pickAbWinner(counts).pValue).toBeCloseTo(twoProportionZTest(counts[1]!, counts[2]!).pValue, 12);
  });
});
