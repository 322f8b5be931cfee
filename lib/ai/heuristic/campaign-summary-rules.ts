import { reachedCount } from "@/core/analytics/campaign-rates";
import type { CampaignRates, RecommendationAnswer, RecommendationBasis } from "@/core/ai/recommendation-kinds";

/** Gmail's and Yahoo's bulk-sender rules: keep complaints under 0.3 %. */
export const COMPLAINT_RATE_LIMIT = 0.003;
/** Past 2 % bounces, mailbox providers start to doubt the list. */
export const BOUNCE_RATE_LIMIT = 0.02;
export const UNSUBSCRIBE_RATE_HIGH = 0.005;
/** A rate this much above or below the baseline (relative) is worth saying. */
export const NOTABLE_DIFFERENCE = 0.2;

const percent = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);

type Comparison = { label: string; key: keyof CampaignRates; higherIsBetter: boolean };
const COMPARED: Comparison[] = [
  { label: "Open rate", key: "openRate", higherIsBetter: true },
  { label: "Click rate", key: "clickRate", higherIsBetter: true },
  { label: "Bounce rate", key: "bounceRate", higherIsBetter: false },
  { label: "Unsubscribe rate", key: "unsubscribeRate", higherIsBetter: false },
];

/** A plain-language reading of a campaign's rollups, against the workspace's other campaigns. */
export function summarizeCampaign(basis: Extract<RecommendationBasis, { kind: "campaign-summary" }>): RecommendationAnswer<"campaign-summary"> {
  const { totals, rates, baseline } = basis;
  const highlights: string[] = [];
  const concerns: string[] = [];
  if (totals.sent === 0) {
    return { headline: `${basis.target.name}: nothing sent yet`, summary: "The campaign has no sends in the rollups yet, so there is nothing to summarise.", highlights, concerns };
  }
  for (const { label, key, higherIsBetter } of COMPARED) {
    const mine = rates[key];
    const theirs = baseline.rates[key];
    if (mine === null || theirs === null || theirs === 0 || baseline.campaigns === 0) continue;
    const relative = (mine - theirs) / theirs;
    if (Math.abs(relative) < NOTABLE_DIFFERENCE) continue;
    const line = `${label} ${percent(mine)} against ${percent(theirs)} for your other ${baseline.campaigns} campaign(s).`;
    if (relative > 0 === higherIsBetter) highlights.push(line);
    else concerns.push(line);
  }
  if (rates.complaintRate !== null && rates.complaintRate > COMPLAINT_RATE_LIMIT) {
    concerns.push(`Complaint rate ${percent(rates.complaintRate)} is over the 0.3% Gmail and Yahoo allow bulk senders.`);
  }
  if (rates.bounceRate !== null && rates.bounceRate > BOUNCE_RATE_LIMIT && !concerns.some((line) => line.startsWith("Bounce"))) {
    concerns.push(`Bounce rate ${percent(rates.bounceRate)} is over 2%: clean the list of addresses that bounce.`);
  }
  if (rates.unsubscribeRate !== null && rates.unsubscribeRate > UNSUBSCRIBE_RATE_HIGH && !concerns.some((line) => line.startsWith("Unsubscribe"))) {
    concerns.push(`Unsubscribe rate ${percent(rates.unsubscribeRate)} is high (over 0.5%).`);
  }
  const machineShare = totals.opened + totals.machineOpened > 0 ? totals.machineOpened / (totals.opened + totals.machineOpened) : 0;
  const topLink = basis.topLinks[0];
  if (topLink && topLink.uniqueClicked > 0) highlights.push(`Most clicked link: ${topLink.url} (${topLink.uniqueClicked} people).`);
  const summary = [
    `Sent to ${totals.sent.toLocaleString("en-US")}, reached ${reachedCount(totals).toLocaleString("en-US")} mailboxes (${totals.delivered.toLocaleString("en-US")} deliveries reported).`,
    `${totals.uniqueOpened.toLocaleString("en-US")} people opened (${percent(rates.openRate)} of those reached) and ${totals.uniqueClicked.toLocaleString("en-US")} clicked (${percent(rates.clickRate)}).`,
    machineShare > 0 ? `${(machineShare * 100).toFixed(0)}% of opens were machines (privacy proxies, scanners) and are not counted.` : "",
    `${totals.bounced} bounced, ${totals.complained} complained, ${totals.unsubscribed} unsubscribed.`,
  ]
    .filter(Boolean)
    .join(" ");
  return { headline: `${basis.target.name}: ${percent(rates.openRate)} opened, ${percent(rates.clickRate)} clicked`, summary, highlights: highlights.slice(0, 6), concerns: concerns.slice(0, 6) };
}
