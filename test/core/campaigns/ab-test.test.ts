import { describe, expect, it } from "vitest";
import { abVariantLabel } from "@/core/ab-tests/ab-test";
import { abDecisionAt, abSampleSize, abVariantOfRank } from "@/core/campaigns/ab-test";

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

describe("abDecisionAt", () => {
  it("is the window after the sample started", () => {
    expect(abDecisionAt(new Date("2026-12-07T09:00:00Z"), 240).toISOString()).toBe("2026-12-07T13:00:00.000Z");
  });
});
