import { describe, expect, it } from "vitest";
import { windowLimit } from "@/core/memo/window-limit";

describe("windowLimit", () => {
  it("allows `limit` hits per key per window, then none until the next window", () => {
    const allow = windowLimit({ limit: 3, windowMs: 60_000, maxKeys: 10 });
    expect([1, 2, 3, 4, 5].map((second) => allow("a", second * 1000))).toEqual([true, true, true, false, false]);
    expect(allow("b", 6_000)).toBe(true);
    expect(allow("a", 61_000)).toBe(true);
  });

  it("keeps memory bounded: past maxKeys new keys pass uncounted, and full keys stay limited", () => {
    const allow = windowLimit({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    expect(allow("flood", 0)).toBe(true);
    expect(allow("flood", 1)).toBe(false);
    expect(allow("b", 2)).toBe(true);
    // The map is full: spraying new keys neither grows it nor resets "flood".
    for (let key = 0; key < 1_000; key += 1) expect(allow(`spray-${key}`, 3)).toBe(true);
    expect(allow("spray-0", 4)).toBe(true);
    expect(allow("flood", 5)).toBe(false);
  });
});
