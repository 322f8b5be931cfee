import { describe, expect, it } from "vitest";
import { windowLimiter } from "@/core/limits/window-limiter";

describe("windowLimiter", () => {
  it.each([
    // [requests at these ms, limit, allowed pattern]
    [[0, 10, 20, 30], 3, [true, true, true, false]],
    [[0, 999, 1000, 1001], 2, [true, true, true, true]], // a new window at 1000
    [[0, 1, 2, 1500, 1999, 2000, 2500], 2, [true, true, false, true, true, false, true]], // the second window starts at 1500
  ])("requests at %j with a limit of %i per second: %j", (times, limit, expected) => {
    const limiter = windowLimiter({ limit, windowMs: 1_000, maxKeys: 10 });
    expect(times.map((at) => limiter.take("203.0.113.7", at).allowed)).toEqual(expected);
  });

  it("says how long until the window ends, at least a second", () => {
    const limiter = windowLimiter({ limit: 1, windowMs: 10_000, maxKeys: 10 });
    limiter.take("a", 0);
    expect(limiter.take("a", 2_500)).toEqual({ allowed: false, retryAfterSeconds: 8 });
    expect(limiter.take("a", 9_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("counts each key apart", () => {
    const limiter = windowLimiter({ limit: 1, windowMs: 1_000, maxKeys: 10 });
    expect([limiter.take("a", 0).allowed, limiter.take("b", 0).allowed, limiter.take("a", 1).allowed]).toEqual([true, true, false]);
  });

  it("keeps at most maxKeys keys, dropping expired windows first, then everything", () => {
    const limiter = windowLimiter({ limit: 1, windowMs: 1_000, maxKeys: 100 });
    for (let i = 0; i < 100; i++) limiter.take(`old-${i}`, 0);
    expect(limiter.size()).toBe(100);
    limiter.take("late", 5_000); // the old windows expired: they are dropped
    expect(limiter.size()).toBe(1);
    for (let i = 0; i < 10_000; i++) limiter.take(`flood-${i}`, 5_000); // all live: cleared whenever full
    expect(limiter.size()).toBeLessThanOrEqual(100);
  });
});
