/**
 * The engagement event stream's vocabulary, declared once: the database enums
 * (db/schema/analytics.ts), the API's zod enums and the rollups are built from these lists.
 */
export const ENGAGEMENT_TYPES = ["sent", "delivered", "opened", "clicked", "bounced", "complained", "unsubscribed", "seen"] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/**
 * Why an open or click was not a person: Apple Mail Privacy Protection fetches every image when
 * the mail arrives, security scanners (Microsoft Defender, Mimecast, Proofpoint, Barracuda…) follow
 * every link, and a load within seconds of delivery is a prefetch whatever its user agent says.
 * Flagged events are kept (append-only) and counted apart, never as human opens or clicks.
 */
export const MACHINE_REASONS = ["apple-privacy-proxy", "security-scanner", "prefetch-timing", "bot-user-agent"] as const;
export type MachineReason = (typeof MACHINE_REASONS)[number];

/** Where an event came from: the tracking routes, a provider's webhook, the send itself, the inbox. */
export const ENGAGEMENT_SOURCES = ["send", "pixel", "redirect", "resend", "twilio", "whatsapp", "push", "inbox", "unsubscribe"] as const;
export type EngagementSource = (typeof ENGAGEMENT_SOURCES)[number];

export const BOUNCE_KINDS = ["hard", "soft"] as const;
export type BounceKind = (typeof BOUNCE_KINDS)[number];

/**
 * The counters every rollup keeps, in one order. `opened`/`clicked` are human totals;
 * `uniqueOpened`/`uniqueClicked` count messages (a click proves an open the pixel missed);
 * `machineOpened`/`machineClicked` are the flagged ones, kept so anyone can see what was excluded.
 */
export const ENGAGEMENT_COUNTERS = [
  "sent",
  "delivered",
  "opened",
  "uniqueOpened",
  "machineOpened",
  "clicked",
  "uniqueClicked",
  "machineClicked",
  "bounced",
  "hardBounced",
  "complained",
  "unsubscribed",
] as const;
export type EngagementCounter = (typeof ENGAGEMENT_COUNTERS)[number];
export type EngagementTotals = Record<EngagementCounter, number>;

export function emptyTotals(): EngagementTotals {
  return Object.fromEntries(ENGAGEMENT_COUNTERS.map((counter) => [counter, 0])) as EngagementTotals;
}

/** Sums rollup rows (hours into a day, days into a range) counter by counter. */
export function addTotals(into: EngagementTotals, row: Partial<Record<EngagementCounter, number | string | null>>): EngagementTotals {
  for (const counter of ENGAGEMENT_COUNTERS) into[counter] += Number(row[counter] ?? 0);
  return into;
}

/**
 * One row of the append-only stream, as the writer inserts it. The message's workspace,
 * campaign, contact, channel and recipient domain come from the message row (never from the
 * request that reported the event). `dedupeKey` is unique per workspace: a redelivered webhook,
 * a replayed batch or a retried step inserts nothing twice, so nothing is counted twice.
 * `firstOpen`/`firstClick` say the event made the message opened/clicked for the first time
 * (by a person): what the unique counters count.
 */
export type EngagementEventInput = {
  workspaceId: string;
  messageId: string | null;
  campaignId: string | null;
  contactId: string | null;
  channel: "email" | "sms" | "whatsapp" | "push" | "in_app";
  type: EngagementType;
  source: EngagementSource;
  occurredAt: Date;
  dedupeKey: string;
  machine?: MachineReason | null;
  url?: string | null;
  recipientDomain?: string | null;
  bounceKind?: BounceKind | null;
  client?: string | null;
  device?: string | null;
  os?: string | null;
  firstOpen?: boolean;
  firstClick?: boolean;
};
