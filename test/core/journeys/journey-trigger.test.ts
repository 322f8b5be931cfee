import { describe, expect, it } from "vitest";
import { describeTrigger, journeyGraph, journeyTrigger } from "@/core/journeys/graph";

describe("journey triggers", () => {
  it("accepts a date trigger on a birthday, the signup anniversary or an attribute's date, at a local hour (minute 0 by default)", () => {
    expect(journeyTrigger.parse({ type: "date", dateField: "birthday", hour: 9 })).toEqual({ type: "date", dateField: "birthday", hour: 9, minute: 0 });
    expect(journeyTrigger.parse({ type: "date", dateField: "attribute:renewal_date", hour: 18, minute: 30 })).toMatchObject({ minute: 30 });
    expect(journeyTrigger.safeParse({ type: "date", dateField: "created_at", hour: 0 }).success).toBe(true);
  });

  it("refuses an unknown date field, an hour past 23 and unknown keys", () => {
    expect(journeyTrigger.safeParse({ type: "date", dateField: "favourite_day", hour: 9 }).success).toBe(false);
    expect(journeyTrigger.safeParse({ type: "date", dateField: "birthday", hour: 24 }).success).toBe(false);
    expect(journeyTrigger.safeParse({ type: "date", dateField: "birthday", hour: 9, zone: "UTC" }).success).toBe(false);
  });

  it("keeps a date trigger in a whole graph", () => {
    const graph = journeyGraph.parse({ trigger: { type: "date", dateField: "birthday", hour: 9 }, start: "done", nodes: [{ id: "done", type: "exit" }] });
    expect(graph.trigger).toEqual({ type: "date", dateField: "birthday", hour: 9, minute: 0 });
  });

  it("describes each trigger for the journey's page", () => {
    expect(describeTrigger({ type: "event", eventName: "signup" })).toBe("event “signup”");
    expect(describeTrigger({ type: "segment", segmentId: "0b6e5f3c-1111-4222-8333-944445555666" })).toBe("entering segment 0b6e5f3c-1111-4222-8333-944445555666");
    expect(describeTrigger({ type: "date", dateField: "birthday", hour: 9, minute: 0 })).toBe("birthday at 09:00 local time, once a year");
    expect(describeTrigger({ type: "date", dateField: "created_at", hour: 18, minute: 5 })).toBe("signup anniversary at 18:05 local time, once a year");
    expect(describeTrigger({ type: "date", dateField: "attribute:renewal", hour: 7, minute: 30 })).toBe("date in renewal at 07:30 local time, once a year");
  });
});
