import { reachedCount } from "./campaign-rates";
import type { EngagementTotals } from "./engagement";

/**
 * A rate is never shown without what it was computed from: the numerator and denominator travel
 * with the value, so a reader can tell 50 % of 2 from 50 % of 20,000. `value` is null when the
 * denominator is 0 (nothing to divide: "no data", not 0 % and never NaN or Infinity).
 */
export type Rate = { numerator: number; denominator: number; value: number | null };

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, value: denominator > 0 ? numerator / denominator : null };
}

/** The rates of a funnel, each with the counters it divides (README "Analytics" says why each denominator). */
export const RATE_NAMES = ["deliveryRate", "openRate", "clickRate", "clickToOpenRate", "bounceRate", "hardBounceRate", "complaintRate", "unsubscribeRate"] as const;
export type RateName = (typeof RATE_NAMES)[number];

export const FUNNEL_STEPS = ["sent", "delivered", "opened", "clicked"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export type Funnel = {
  /** sent → delivered → opened (unique human) → clicked (unique human). */
  steps: { step: FunnelStep; count: number }[];
  rates: Record<RateName, Rate>;
  /** Opens and clicks flagged as machines (privacy proxies, scanners, prefetch): shown apart, in no rate. */
  machine: { opened: number; clicked: number };
  /** Human totals (every open and click a person made, not only the first per message). */
  human: { opened: number; clicked: number };
};

/**
 * The funnel of a set of rollup counters. Opens and clicks are unique human ones (messages opened
 * or clicked by a person at least once); engagement is divided by the messages that reached a
 * mailbox (reachedCount: the deliveries, or sent minus bounced when a provider reports no
 * deliveries — the outbox, SMTP — or reports them late), the same base the campaign guard and the
 * analysis use; bounces by `sent` (a bounce is a message that was not delivered).
 */
export function funnelOf(totals: EngagementTotals): Funnel {
  const reached = reachedCount(totals);
  return {
    steps: [
      { step: "sent", count: totals.sent },
      { step: "delivered", count: totals.delivered },
      { step: "opened", count: totals.uniqueOpened },
      { step: "clicked", count: totals.uniqueClicked },
    ],
    rates: {
      deliveryRate: rate(totals.delivered, totals.sent),
      openRate: rate(totals.uniqueOpened, reached),
      clickRate: rate(totals.uniqueClicked, reached),
      clickToOpenRate: rate(totals.uniqueClicked, totals.uniqueOpened),
      bounceRate: rate(totals.bounced, totals.sent),
      hardBounceRate: rate(totals.hardBounced, totals.sent),
      complaintRate: rate(totals.complained, reached),
      unsubscribeRate: rate(totals.unsubscribed, reached),
    },
    machine: { opened: totals.machineOpened, clicked: totals.machineClicked },
    human: { opened: totals.opened, clicked: totals.clicked },
  };
}

/** "12.5 %" with one decimal, or "—" when there was nothing to divide by. */
export function formatRate(value: number | null): string {
  if (value === null) return "—";
  return `${(Math.round(value * 1000) / 10).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
}
