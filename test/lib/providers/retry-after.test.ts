import { describe, expect, it } from "vitest";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";

const now = Date.parse("2026-03-01T12:00:00Z");

describe("parseRetryAfterMs", () => {
  it.each([
    ["whole seconds (what Resend sends)", "1", 1_000],
    ["more seconds", "30", 30_000],
    ["fractional seconds, rounded up to the millisecond", "0.5", 500],
    ["surrounding whitespace", " 2 ", 2_000],
    ["an HTTP-date in the future", "Sun, 01 Mar 2026 12:00:05 GMT", 5_000],
    ["an HTTP-date in the past means now", "Sun, 01 Mar 2026 11:59:00 GMT", 0],
    ["absent", null, undefined],
    ["empty", "", undefined],
    ["garbage", "soon", undefined],
    ["a negative number", "-1", undefined],
  ] as const)("%s", (_name, header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});
