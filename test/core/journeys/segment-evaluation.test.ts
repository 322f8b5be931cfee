import { describe, expect, it } from "vitest";
import { segmentEvaluationEventId, segmentEvaluationSlot } from "@/core/journeys/segment-evaluation";

describe("segment evaluation slots", () => {
  it("names the 15-minute slot an instant falls in, so a cron fired twice in one slot asks once", () => {
    expect(segmentEvaluationSlot(new Date("2027-03-01T10:00:00Z"))).toBe("2027-03-01T10:00");
    expect(segmentEvaluationSlot(new Date("2027-03-01T10:14:59.999Z"))).toBe("2027-03-01T10:00");
    expect(segmentEvaluationSlot(new Date("2027-03-01T10:15:00Z"))).toBe("2027-03-01T10:15");
    expect(segmentEvaluationSlot(new Date("2027-03-01T23:59:00Z"))).toBe("2027-03-01T23:45");
  });

  it("gives each journey version and slot its own event id", () => {
    expect(segmentEvaluationEventId("j1", 2, "2027-03-01T10:15")).toBe("journey-segment-eval-j1-v2-2027-03-01T10:15");
    expect(segmentEvaluationEventId("j1", 3, "2027-03-01T10:15")).not.toBe(segmentEvaluationEventId("j1", 2, "2027-03-01T10:15"));
  });
});
