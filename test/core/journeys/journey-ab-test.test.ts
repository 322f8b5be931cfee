import { describe, expect, it } from "vitest";
import { journeyAbVariantOf } from "@/core/journeys/ab-variant-of";
import { JOURNEY_AB_MAX_DAYS, journeyAbDecideAt } from "@/core/journeys/journey-ab-test";
import { journeyReferences, validateJourneyGraph } from "@/core/journeys/validate-graph";

const T1 = "00000000-0000-4000-8000-000000000001";
const T2 = "00000000-0000-4000-8000-000000000002";
const enrollment = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const abGraph = (abTest: unknown, channel = "email") => ({
  trigger: { type: "event", eventName: "signup" },
  start: "a",
  nodes: [
    { id: "a", type: "send", channel, templateId: T1, abTest, next: "b" },
    { id: "b", type: "exit" },
  ],
});
const errorsOf = (graph: unknown) => {
  const check = validateJourneyGraph(graph);
  return check.ok ? [] : check.errors;
};

describe("journeyAbVariantOf", () => {
  it("gives an enrollment the same variant every time (a retry, a replay, a later visit)", () => {
    const params = { version: 3, nodeId: "welcome", enrollmentId: enrollment(7), variants: 3 };
    const first = journeyAbVariantOf(params);
    for (let i = 0; i < 5; i++) expect(journeyAbVariantOf(params)).toBe(first);
  });

  it("differs by version and step, so a new version is a fresh draw", () => {
    const of = (version: number, nodeId: string) => Array.from({ length: 50 }, (_, n) => journeyAbVariantOf({ version, nodeId, enrollmentId: enrollment(n), variants: 2 }));
    expect(of(1, "a")).not.toEqual(of(2, "a"));
    expect(of(1, "a")).not.toEqual(of(1, "b"));
  });

  it.each([2, 3, 4])("fills %i variants evenly across enrollments", (variants) => {
    const counts = new Array<number>(variants).fill(0);
    const total = 8_000;
    for (let n = 0; n < total; n++) counts[journeyAbVariantOf({ version: 1, nodeId: "a", enrollmentId: enrollment(n), variants })]!++;
    // Binomial spread at 8,000 draws is ≈ 1 %; 5 % of the share is far outside chance.
    for (const count of counts) expect(Math.abs(count - total / variants)).toBeLessThan((0.05 * total) / variants);
  });
});

describe("journeyAbDecideAt", () => {
  const at = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000);
  const first = at(0);

  it("is the window after the last variant's sample filled", () => {
    const progress = [
      { variant: 0, sent: 100, conversions: 1, sampleFullAt: at(5) },
      { variant: 1, sent: 100, conversions: 1, sampleFullAt: at(9) },
    ];
    expect(journeyAbDecideAt({ progress, variants: 2, windowHours: 24, firstSentAt: first })).toEqual(at(33));
  });

  it("is the time limit while a variant's sample is not full (or a variant has sent nothing)", () => {
    const progress = [{ variant: 0, sent: 100, conversions: 1, sampleFullAt: at(5) }];
    expect(journeyAbDecideAt({ progress, variants: 2, windowHours: 24, firstSentAt: first })).toEqual(at(JOURNEY_AB_MAX_DAYS * 24));
    expect(journeyAbDecideAt({ progress: [], variants: 2, windowHours: 24, firstSentAt: null })).toBeNull();
  });

  it("never later than the time limit", () => {
    const progress = [
      { variant: 0, sent: 1, conversions: 0, sampleFullAt: at(JOURNEY_AB_MAX_DAYS * 24 - 1) },
      { variant: 1, sent: 1, conversions: 0, sampleFullAt: at(1) },
    ];
    expect(journeyAbDecideAt({ progress, variants: 2, windowHours: 48, firstSentAt: first })).toEqual(at(JOURNEY_AB_MAX_DAYS * 24));
  });
});

describe("an A/B send step's validation", () => {
  it("accepts 2–4 variants and fills the sample and window defaults", () => {
    const check = validateJourneyGraph(abGraph({ metric: "opens", variants: [{ subject: "Hi" }, { subject: "Hello", delayMinutes: 60 }] }));
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.graph.nodes[0]).toMatchObject({ abTest: { sampleSize: 100, windowHours: 24 } });
  });

  it.each([
    ["one variant", { metric: "opens", variants: [{ subject: "Hi" }] }, { field: "abTest.variants", message: "an A/B test has 2–4 variants" }],
    ["five variants", { metric: "opens", variants: ["A", "B", "C", "D", "E"].map((subject) => ({ subject })) }, { field: "abTest.variants", message: "an A/B test has 2–4 variants" }],
    ["the goal metric without its event", { metric: "goal", variants: [{ subject: "A" }, { subject: "B" }] }, { field: "abTest.goalEvent" }],
    ["a goal event for the opens metric", { metric: "opens", goalEvent: "purchase", variants: [{ subject: "A" }, { subject: "B" }] }, { field: "abTest.goalEvent" }],
    ["a variant that changes nothing", { metric: "clicks", variants: [{ subject: "A" }, {}] }, { field: "abTest.variants.1" }],
    ["a zero sample", { metric: "opens", sampleSize: 0, variants: [{ subject: "A" }, { subject: "B" }] }, { field: "abTest.sampleSize" }],
  ])("refuses %s, naming the step", (_, abTest, expected) => {
    expect(errorsOf(abGraph(abTest))).toContainEqual(expect.objectContaining({ nodeId: "a", ...expected }));
  });

  it("refuses a subject on SMS and a sender on a channel other than email", () => {
    expect(errorsOf(abGraph({ metric: "clicks", variants: [{ subject: "A" }, { from: "+14155550123" }] }, "sms"))).toEqual([
      expect.objectContaining({ nodeId: "a", field: "abTest.variants.0.subject" }),
      expect.objectContaining({ nodeId: "a", field: "abTest.variants.1.from" }),
    ]);
  });

  it("lists each variant's template as a reference of the step, by field", () => {
    const check = validateJourneyGraph(abGraph({ metric: "opens", variants: [{ subject: "A" }, { templateId: T2 }] }));
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    expect(journeyReferences(check.graph).map((ref) => [ref.nodeId, ref.field, ref.id])).toEqual([
      ["a", "templateId", T1],
      ["a", "abTest.variants.1.templateId", T2],
    ]);
  });
});
