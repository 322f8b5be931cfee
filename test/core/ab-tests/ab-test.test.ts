import { describe, expect, it } from "vitest";
import { normalCdf, pickAbWinner, twoProportionZTest } from "@/core/ab-tests/ab-test";

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
