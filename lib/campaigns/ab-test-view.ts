import type { Db } from "@/db";
import { abVariantCounts } from "@/db/queries/campaign-ab-tests";
import type { Campaign } from "@/db/queries/campaigns";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { AB_SIGNIFICANCE_LEVEL, abVariantLabel, pickAbWinner } from "@/core/ab-tests/ab-test";
import { abDecisionAt, abRestSendAt, abSendDelayMs, abVariantSendAt } from "@/core/campaigns/ab-test";

/**
 * An A/B campaign's test as the API and the dashboard show it: each variant's live counts and
 * rate (conversions over messages sent), the current leader, and the winner with the counts and
 * p-value recorded when it was picked. Null for a campaign with no test.
 */
export async function abTestView(db: Db, campaign: Campaign, now: Date = new Date()) {
  const test = campaign.abTest;
  if (!test) return null;
  const started = campaign.startedAt !== null && campaign.chunkCount !== null;
  const counts = started
    ? await abVariantCounts(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, metric: test.metric, goalEvent: test.goalEvent, since: campaign.startedAt! })
    : [];
  const recorded = campaign.abResult;
  // An archived campaign's recipients are in cold storage: its counts are the ones recorded with the winner.
  const source = counts.length === 0 && recorded ? recorded.variants.map((v) => ({ ...v, recipients: v.sent })) : counts;
  const byVariant = test.variants.map((_, variant) => source.find((c) => c.variant === variant) ?? { variant, recipients: 0, sent: 0, conversions: 0 });
  const live = pickAbWinner(byVariant);
  const decideAt = campaign.startedAt ? abDecisionAt(campaign.startedAt, test) : null;
  const sendAt = (variant: number) => (campaign.startedAt ? abVariantSendAt(campaign.startedAt, test, variant) : null);
  const allSent = test.variants.every((_, variant) => (sendAt(variant)?.getTime() ?? Infinity) <= now.getTime());
  const restSendAt =
    campaign.startedAt && campaign.abWinner !== null
      ? abRestSendAt(test, {
          startedAt: campaign.startedAt,
          winner: campaign.abWinner,
          decidedAt: campaign.abDecidedAt ?? now,
          timeZone: (await getDeliverySettings(db, { workspaceId: campaign.workspaceId })).timezone,
        })
      : null;
  return {
    metric: test.metric,
    goalEvent: test.goalEvent ?? null,
    testPercent: test.testPercent,
    windowMinutes: test.windowMinutes,
    decideAt: decideAt?.toISOString() ?? null,
    state: campaign.abWinner !== null ? ("decided" as const) : started ? ("testing" as const) : ("not_started" as const),
    canPickNow: started && allSent && campaign.abWinner === null && decideAt !== null && now < decideAt && (campaign.status === "sending" || campaign.status === "paused"),
    restSendAt: restSendAt?.toISOString() ?? null,
    variants: test.variants.map((variant, index) => ({
      variant: abVariantLabel(index),
      index,
      subject: variant.subject ?? null,
      templateId: variant.templateId ?? null,
      from: variant.from ?? null,
      sendDelayMinutes: variant.sendDelayMinutes ?? null,
      sendAt: abSendDelayMs(test, index) > 0 ? (sendAt(index)?.toISOString() ?? null) : null,
      recipients: byVariant[index]!.recipients,
      sent: byVariant[index]!.sent,
      conversions: byVariant[index]!.conversions,
      rate: live.rates[index]!,
    })),
    leader: started ? { variant: abVariantLabel(live.winner), pValue: live.pValue, confidence: live.confidence } : null,
    winner:
      campaign.abWinner !== null && recorded
        ? {
            variant: abVariantLabel(campaign.abWinner),
            index: campaign.abWinner,
            pValue: recorded.pValue,
            confidence: recorded.confidence,
            significant: recorded.pValue < AB_SIGNIFICANCE_LEVEL,
            decidedBy: (campaign.abDecidedBy ?? "window") as "window" | "manual",
            decidedAt: campaign.abDecidedAt?.toISOString() ?? null,
            variants: recorded.variants.map((v, i) => ({ variant: abVariantLabel(v.variant), sent: v.sent, conversions: v.conversions, rate: recorded.rates[i] ?? 0 })),
          }
        : null,
  };
}

export type AbTestView = NonNullable<Awaited<ReturnType<typeof abTestView>>>;
