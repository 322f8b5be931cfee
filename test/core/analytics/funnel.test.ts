import { describe, expect, it } from "vitest";
import { emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import { formatRate, funnelOf, rate } from "@/core/analytics/funnel";

const totals = (counts: Partial<EngagementTotals>): EngagementTotals => ({ ...emptyTotals(), ...counts });

describe("rate", () => {
  it.each([
    [1, 4, 0.25],
    [0, 10, 0],
    [3, 3, 1],
    [0, 0, null],
    [5, 0, null],
  ])("%i / %i = %s, with both kept", (numerator, denominator, value) => {
    expect(rate(numerator, denominator)).toEqual({ numerator, denominator, value });
  });
});

describe("funnelOf", () => {
  it.each<[string, Partial<EngagementTotals>, Record<string, [number, number, number | null]>]>([
    [
      "a campaign with every kind of event",
      { sent: 100, delivered: 90, uniqueOpened: 45, opened: 60, machineOpened: 20, uniqueClicked: 9, clicked: 12, machineClicked: 4, bounced: 10, hardBounced: 6, complained: 1, unsubscribed: 3 },
      {
        deliveryRate: [90, 100, 0.9],
        openRate: [45, 90, 0.5],
        clickRate: [9, 90, 0.1],
        clickToOpenRate: [9, 45, 0.2],
        bounceRate: [10, 100, 0.1],
        hardBounceRate: [6, 100, 0.06],
        complaintRate: [1, 90, 1 / 90],
        unsubscribeRate: [3, 90, 1 / 30],
      },
    ],
    [
      "nothing at all: every rate is null, none NaN",
      {},
      {
        deliveryRate: [0, 0, null],
        openRate: [0, 0, null],
        clickRate: [0, 0, null],
        clickToOpenRate: [0, 0, null],
        bounceRate: [0, 0, null],
        hardBounceRate: [0, 0, null],
        complaintRate: [0, 0, null],
        unsubscribeRate: [0, 0, null],
      },
    ],
    [
      "no delivery reports (the outbox, SMTP): engagement is read against sent minus bounced",
      { sent: 50, bounced: 2, uniqueOpened: 12 },
      { deliveryRate: [0, 50, 0], openRate: [12, 48, 0.25], clickRate: [0, 48, 0], clickToOpenRate: [0, 12, 0], bounceRate: [2, 50, 0.04], complaintRate: [0, 48, 0] },
    ],
    [
      "deliveries reported late: engagement is read against sent minus bounced until they catch up",
      { sent: 100, delivered: 30, bounced: 10, complained: 1 },
      { openRate: [0, 90, 0], complaintRate: [1, 90, 1 / 90] },
    ],
    [
      "only machine opens: the open rate stays 0 and click-to-open has no denominator",
      { sent: 10, delivered: 10, machineOpened: 10, machineClicked: 3 },
      { openRate: [0, 10, 0], clickRate: [0, 10, 0], clickToOpenRate: [0, 0, null] },
    ],
  ])("%s", (_name, counts, expected) => {
    const funnel = funnelOf(totals(counts));
    for (const [name, [numerator, denominator, value]] of Object.entries(expected)) {
      const actual = funnel.rates[name as keyof typeof funnel.rates];
      expect({ name, numerator: actual.numerator, denominator: actual.denominator }).toEqual({ name, numerator, denominator });
      if (value === null) expect(actual.value).toBeNull();
      else expect(actual.value).toBeCloseTo(value, 12);
    }
  });

  it("lists the steps with unique human counts and keeps machine and total human counts apart", () => {
    const funnel = funnelOf(totals({ sent: 5, delivered: 4, uniqueOpened: 3, opened: 7, machineOpened: 2, uniqueClicked: 1, clicked: 2, machineClicked: 5 }));
    expect(funnel.steps).toEqual([
      { step: "sent", count: 5 },
      { step: "delivered", count: 4 },
      { step: "opened", count: 3 },
      { step: "clicked", count: 1 },
    ]);
    expect(funnel.machine).toEqual({ opened: 2, clicked: 5 });
    expect(funnel.human).toEqual({ opened: 7, clicked: 2 });
  });
});

describe("formatRate", () => {
  it.each([
    [null, "—"],
    [0, "0.0 %"],
    [0.5, "50.0 %"],
    [1 / 3, "33.3 %"],
    [0.0004, "0.0 %"],
    [1, "100.0 %"],
  ])("%s → %s", (value, text) => expect(formatRate(value)).toBe(text));
});
