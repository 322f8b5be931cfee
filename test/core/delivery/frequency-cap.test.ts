import { describe, expect, it } from "vitest";
import { describePeriod, frequencyCapReason, withinCap } from "@/core/delivery/frequency-cap";

describe("frequency caps", () => {
  it.each([
    [0, 3, true],
    [2, 3, true],
    [3, 3, false],
    [4, 3, false],
    [0, 1, true],
    [1, 1, false],
  ])("%i released with a limit of %i: another fits = %s", (released, limit, fits) => {
    expect(withinCap(released, { limit, periodSeconds: 86_400 })).toBe(fits);
  });

  it.each([
    [86_400, "day"],
    [604_800, "7 days"],
    [3_600, "hour"],
    [7_200, "2 hours"],
    [90, "90 seconds"],
    [120, "2 minutes"],
  ])("describes %i seconds as %j", (seconds, words) => {
    expect(describePeriod(seconds)).toBe(words);
  });

  it("says which cap held a message back", () => {
    expect(frequencyCapReason({ limit: 3, periodSeconds: 86_400 }, "email", "marketing")).toBe("Frequency cap: at most 3 email messages of category marketing per day");
  });
});
