import { describe, expect, it } from "vitest";
import { differenceInterval, normalCdf, twoProportionTest, wilsonInterval } from "@/core/analytics/rate-statistics";

describe("wilsonInterval", () => {
  // Reference values: Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [5, 10, 0.2366, 0.7634],
  ])("%i of %i → %f–%f", (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it("knows nothing of an empty sample and never leaves [0, 1]", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 10).low).toBe(0);
  });
});

describe("differenceInterval (Newcombe method 10)", () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions", table II.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.8090],
    [5, 56, 0, 29, -0.0381, 0.1926],
  ])("%i/%i − %i/%i → %f to %f", (k1, n1, k2, n2, low, high) => {
    const interval = differenceInterval({ successes: k1, trials: n1 }, { successes: k2, trials: n2 });
    expect(interval.low).toBeCloseTo(low, 3);
    expect(interval.high).toBeCloseTo(high, 3);
  });
});

describe("twoProportionTest", () => {
  it.each([
    // 56/70 vs 48/80: pooled 104/150, z = 0.2 / 0.07547
    [56, 70, 48, 80, 2.65, 0.008],
    [50, 100, 50, 100, 0, 1],
    [3, 1000, 30, 1000, -4.74, 0.0000021],
  ])("%i/%i vs %i/%i → z %f, p %f", (k1, n1, k2, n2, z, p) => {
    const test = twoProportionTest({ successes: k1, trials: n1 }, { successes: k2, trials: n2 });
    expect(test.z).toBeCloseTo(z, 2);
    expect(test.pValue).toBeCloseTo(p, 3);
  });

  it("cannot tell apart samples without variance or trials", () => {
    expect(twoProportionTest({ successes: 0, trials: 100 }, { successes: 0, trials: 500 })).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionTest({ successes: 0, trials: 0 }, { successes: 4, trials: 500 })).toEqual({ z: 0, pValue: 1 });
  });

  it.each([
    [0, 0.5],
    [1.959963984540054, 0.975],
    [-1.959963984540054, 0.025],
    [3, 0.99865],
  ])("normalCdf(%f) = %f", (x, expected) => {
    expect(normalCdf(x)).toBeCloseTo(expected, 5);
  });
});
