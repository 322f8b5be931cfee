import { describe, expect, it } from "vitest";
import { bulkReentry, reentryVerdict } from "@/core/journeys/reentry";

const now = new Date("2026-05-10T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe("reentryVerdict", () => {
  it.each([
    ["anyone new enters", { mode: "never" } as const, undefined, { ok: true }],
    ["a contact in the journey now never enters twice", { mode: "always" } as const, { status: "active", enteredAt: daysAgo(9) }, { ok: false, outcome: "already_active" }],
    ["never: once ever", { mode: "never" } as const, { status: "completed", enteredAt: daysAgo(400) }, { ok: false, outcome: "reentry_blocked" }],
    ["after 7 days: not after 6", { mode: "after", days: 7 } as const, { status: "completed", enteredAt: daysAgo(6) }, { ok: false, outcome: "reentry_blocked" }],
    ["after 7 days: yes after 7", { mode: "after", days: 7 } as const, { status: "exited", enteredAt: daysAgo(7) }, { ok: true }],
    ["always: as soon as the last pass ended", { mode: "always" } as const, { status: "completed", enteredAt: daysAgo(0) }, { ok: true }],
  ])("%s", (_, rule, last, expected) => {
    expect(reentryVerdict(rule, last, now)).toEqual(expected);
  });
});

describe("bulkReentry", () => {
  it("states the rule as a bulk insert applies it: `after N days` becomes the instant the last entry must precede", () => {
    expect(bulkReentry({ mode: "never" }, now)).toBe("never");
    expect(bulkReentry({ mode: "always" }, now)).toBe("always");
    expect(bulkReentry({ mode: "after", days: 7 }, now)).toEqual({ enteredBefore: daysAgo(7) });
  });
});
