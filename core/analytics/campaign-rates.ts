import type { EngagementTotals } from "./engagement";

/**
 * The rates a campaign is judged by, each with the counter it counts and the one it divides by.
 * `better` says which way is good: a higher delivery rate is, a higher complaint rate is not.
 */
export const CAMPAIGN_RATES = ["delivery", "uniqueOpen", "uniqueClick", "bounce", "hardBounce", "complaint", "unsubscribe"] as const;
export type CampaignRate = (typeof CAMPAIGN_RATES)[number];

export type RateDefinition = { label: string; better: "higher" | "lower"; numerator: string; denominator: "sent" | "reached" };

export const RATE_DEFINITIONS: Record<CampaignRate, RateDefinition> = {
  delivery: { label: "Delivery rate", better: "higher", numerator: "delivered", denominator: "sent" },
  uniqueOpen: { label: "Unique open rate", better: "higher", numerator: "opened", denominator: "reached" },
  uniqueClick: { label: "Unique click rate", better: "higher", numerator: "clicked", denominator: "reached" },
  bounce: { label: "Bounce rate", better: "lower", numerator: "bounced", denominator: "sent" },
  hardBounce: { label: "Hard-bounce rate", better: "lower", numerator: "hard-bounced", denominator: "sent" },
  complaint: { label: "Complaint rate", better: "lower", numerator: "complaints", denominator: "reached" },
  unsubscribe: { label: "Unsubscribe rate", better: "lower", numerator: "unsubscribed", denominator: "reached" },
};

/**
 * Messages that reached a mailbox: the provider's deliveries, or sent minus bounced when that is
 * more. Delivery reports lag the send by seconds to minutes (and the outbox and some providers
 * send none), while complaints can arrive first; dividing by a lagging `delivered` would make
 * three early complaints look like a 30 % rate. Gmail and Yahoo count complaints per delivered mail.
 */
export function reachedCount(totals: Pick<EngagementTotals, "sent" | "delivered" | "bounced">): number {
  return Math.max(totals.delivered, totals.sent - totals.bounced);
}

export type RateCount = { successes: number; trials: number };

/** Numerator and denominator of one rate from a campaign's (or a baseline's pooled) counters. */
export function rateCount(rate: CampaignRate, totals: EngagementTotals): RateCount {
  const reached = reachedCount(totals);
  switch (rate) {
    case "delivery":
      return { successes: totals.delivered, trials: totals.sent };
    case "uniqueOpen":
      return { successes: totals.uniqueOpened, trials: reached };
    case "uniqueClick":
      return { successes: totals.uniqueClicked, trials: reached };
    case "bounce":
      return { successes: totals.bounced, trials: totals.sent };
    case "hardBounce":
      return { successes: totals.hardBounced, trials: totals.sent };
    case "complaint":
      return { successes: totals.complained, trials: reached };
    case "unsubscribe":
      return { successes: totals.unsubscribed, trials: reached };
  }
}

/** "0.52 %" with as many decimals as small rates need. */
export function formatPercent(share: number): string {
  const percent = share * 100;
  const digits = percent !== 0 && Math.abs(percent) < 1 ? 2 : 1;
  return `${percent.toFixed(digits)} %`;
}
