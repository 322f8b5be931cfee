import { describe, expect, it } from "vitest";
import { compareWithBaseline } from "@/core/analytics/campaign-analysis";
import { emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import { rateCount, reachedCount } from "@/core/analytics/campaign-rates";

const totals = (values: Partial<EngagementTotals>): EngagementTotals => ({ ...emptyTotals(), ...values });

// A workspace whose campaigns usually deliver 98 %, open 25 %, click 4 %, complain 0.05 %.
const baseline = {
  campaigns: 10,
  totals: totals({ sent: 100_000, delivered: 98_000, bounced: 2_000, hardBounced: 800, uniqueOpened: 24_500, uniqueClicked: 3_920, complained: 49, unsubscribed: 196 }),
};

describe("rateCount", () => {
  it.each([
    ["delivery", 980, 1000],
    ["uniqueOpen", 250, 980],
    ["uniqueClick", 40, 980],
    ["bounce", 20, 1000],
    ["hardBounce", 8, 1000],
    ["complaint", 3, 980],
    ["unsubscribe", 5, 980],
  ] as const)("%s counts %i of %i", (rate, successes, trials) => {
    const campaign = totals({ sent: 1000, delivered: 980, bounced: 20, hardBounced: 8, uniqueOpened: 250, uniqueClicked: 40, complained: 3, unsubscribed: 5 });
    expect(rateCount(rate, campaign)).toEqual({ successes, trials });
  });

  it("divides by sent minus bounced while delivery reports lag", () => {
    expect(reachedCount(totals({ sent: 600, delivered: 10, bounced: 4 }))).toBe(596);
    expect(reachedCount(totals({ sent: 600, delivered: 598, bounced: 1 }))).toBe(599);
  });
});

describe("compareWithBaseline", () => {
  it("finds nothing to flag in a campaign like the others", () => {
    const analysis = compareWithBaseline(totals({ sent: 5000, delivered: 4905, bounced: 95, hardBounced: 40, uniqueOpened: 1230, uniqueClicked: 190, complained: 3, unsubscribed: 10 }), baseline);
    expect(analysis.anomalies).toEqual([]);
    expect(analysis.rates.map((r) => r.verdict)).toEqual(Array(7).fill("in_line"));
    expect(analysis.summary).toMatch(/^In line with the baseline of the last 10 campaigns/);
  });

  it("flags a complaint spike as worse and a better click rate as better, with interval and size in words", () => {
    const analysis = compareWithBaseline(totals({ sent: 5000, delivered: 4900, bounced: 100, hardBounced: 40, uniqueOpened: 1225, uniqueClicked: 300, complained: 25, unsubscribed: 10 }), baseline);
    expect(analysis.anomalies).toEqual([
      { rate: "uniqueClick", verdict: "better" },
      { rate: "complaint", verdict: "worse" },
    ]);
    const complaint = analysis.rates.find((r) => r.rate === "complaint")!;
    expect(complaint.campaign).toMatchObject({ successes: 25, trials: 4900 });
    expect(complaint.campaign.interval.low).toBeGreaterThan(0.003);
    expect(complaint.baseline).toMatchObject({ successes: 49, trials: 98_000 });
    expect(complaint.difference!.absolute).toBeCloseTo(25 / 4900 - 49 / 98_000, 10);
    expect(complaint.difference!.interval.low).toBeGreaterThan(0);
    expect(complaint.pValue).toBeLessThan(0.001);
    expect(complaint.text).toBe(
      "Complaint rate 0.51 % (95 % CI 0.35 %–0.75 %), 25 of 4,900 reached is significantly higher (worse) than the baseline 0.05 % (49 of 98,000 reached): +0.46 points, +920 % (95 % CI +0.30 points to +0.70 points, p < 0.001).",
    );
    expect(analysis.summary).toBe("Compared with the last 10 campaigns: worse than the baseline on complaint rate; better on unique click rate.");
  });

  it("reports a lower bounce rate as better (lower is good for it)", () => {
    const analysis = compareWithBaseline(totals({ sent: 5000, delivered: 4995, bounced: 5, hardBounced: 1, uniqueOpened: 1250, uniqueClicked: 200, complained: 2, unsubscribed: 10 }), baseline);
    expect(analysis.anomalies).toEqual(expect.arrayContaining([{ rate: "bounce", verdict: "better" }, { rate: "hardBounce", verdict: "better" }, { rate: "delivery", verdict: "better" }]));
  });

  it.each([
    ["no finished campaigns", null, 0],
    ["two finished campaigns", { campaigns: 2, totals: baseline.totals }, 2],
  ])("without a baseline (%s) states rates with intervals only", (_name, base, count) => {
    const analysis = compareWithBaseline(totals({ sent: 1000, delivered: 990, complained: 9 }), base);
    expect(analysis.anomalies).toEqual([]);
    expect(analysis.baselineCampaigns).toBe(count);
    expect(analysis.rates.find((r) => r.rate === "complaint")).toMatchObject({ verdict: "no_baseline", baseline: null });
    expect(analysis.summary).toMatch(/^No baseline yet: the workspace has \d finished campaigns? of this channel in the last 90 days \(3 needed\)/);
  });

  it("never flags a rate measured on too few messages, however far it is off", () => {
    const analysis = compareWithBaseline(totals({ sent: 50, delivered: 40, bounced: 10, hardBounced: 10, complained: 5 }), baseline);
    expect(analysis.anomalies).toEqual([]);
    expect(analysis.rates.find((r) => r.rate === "hardBounce")).toMatchObject({ verdict: "too_few" });
    expect(analysis.rates.find((r) => r.rate === "hardBounce")!.text).toMatch(/too few messages \(under 100\) to tell/);
  });

  it("says when nothing was sent", () => {
    const analysis = compareWithBaseline(emptyTotals(), baseline);
    expect(analysis.rates.every((r) => r.verdict === "too_few" && r.campaign.value === null)).toBe(true);
  });
});
