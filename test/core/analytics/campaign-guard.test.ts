import { describe, expect, it } from "vitest";
import { guardReasonText, trippedReadings } from "@/core/analytics/campaign-guard";
import { emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";

const thresholds = { complaintRate: 0.003, hardBounceRate: 0.05, minSample: 500 };
const totals = (values: Partial<EngagementTotals>): EngagementTotals => ({ ...emptyTotals(), ...values });

describe("trippedReadings", () => {
  it.each([
    ["below the minimum sample", { sent: 499, complained: 50 }, {}, []],
    ["at 0.3 % exactly (passes means above)", { sent: 1000, complained: 3 }, {}, []],
    ["complaints above 0.3 % of reached", { sent: 1000, complained: 4 }, {}, ["complaint_rate"]],
    ["hard bounces above 5 % of sent", { sent: 1000, bounced: 60, hardBounced: 51 }, {}, ["hard_bounce_rate"]],
    ["both, complaints first", { sent: 1000, bounced: 60, hardBounced: 60, complained: 9 }, {}, ["complaint_rate", "hard_bounce_rate"]],
    ["lagging deliveries do not inflate the rate", { sent: 1000, delivered: 20, complained: 3 }, {}, []],
    ["acknowledged at that rate", { sent: 1000, complained: 4 }, { complaint_rate: 0.004 }, []],
    ["acknowledged, then worse", { sent: 1000, complained: 5 }, { complaint_rate: 0.004 }, ["complaint_rate"]],
    ["acknowledged complaints do not hide bounces", { sent: 1000, bounced: 60, hardBounced: 60, complained: 4 }, { complaint_rate: 0.005 }, ["hard_bounce_rate"]],
    ["acknowledged above, fallen below the threshold", { sent: 2000, complained: 5 }, { complaint_rate: 0.004 }, []],
  ])("%s", (_name, counts, acknowledged, reasons) => {
    expect(trippedReadings(totals(counts), thresholds, acknowledged).map((r) => r.reason)).toEqual(reasons);
  });
});

describe("guardReasonText", () => {
  it("names the rate, the counts and the limit", () => {
    const readings = trippedReadings(totals({ sent: 600, bounced: 40, hardBounced: 40, complained: 4 }), thresholds);
    expect(guardReasonText(readings)).toBe(
      "Paused automatically: complaint rate 0.71 % (4 of 560 reached) passed the 0.30 % limit (Gmail and Yahoo bulk-sender rule); hard-bounce rate 6.7 % (40 of 600 sent) passed the 5.0 % limit. Resume to continue; the guard pauses again only if a rate gets worse.",
    );
  });
});
