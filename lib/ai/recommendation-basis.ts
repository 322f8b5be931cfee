import type { Db } from "@/db";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { getCampaign } from "@/db/queries/campaigns";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { topLinks } from "@/db/queries/analytics-tables";
import { otherCampaignsTotals, pastSubjectPerformance, segmentEngagementHeatMap } from "@/db/queries/recommendation-inputs";
import { getSegment } from "@/db/queries/segments";
import { getTemplate, type Template } from "@/db/queries/templates";
import {
  campaignRates,
  type RecommendationBasis,
  type RecommendationKind,
  type RecommendationTarget,
  redactSegmentFilter,
  type TemplateText,
} from "@/core/ai/recommendation-kinds";
import { readStoredSegmentFilter } from "@/core/segments/segment-filter";
import { relationshipBasis } from "@/lib/mailbox/relationship-basis";

/** Past subjects shown: enough to compare patterns, few enough to keep the prompt small. */
export const PAST_SUBJECTS = 20;
/** The send-time heat map reads this far back: habits change with the seasons. */
export const HEAT_MAP_DAYS = 90;
export const TOP_LINKS = 5;
/** A template body is shown up to this many characters (a prompt's cost grows with it). */
export const MAX_TEMPLATE_CHARS = 20_000;

export type BasisRequest = { kind: RecommendationKind; targetType: RecommendationTarget; targetId: string };

export type BasisResult = { ok: true; basis: RecommendationBasis } | { ok: false; status: 404; what: string } | { ok: false; status: 409; message: string };

const templateText = (template: Template): TemplateText => ({
  id: template.id,
  name: template.name,
  channel: template.channel,
  subject: template.subject,
  body: template.body.slice(0, MAX_TEMPLATE_CHARS),
});

/** A link as a place, not as one recipient's copy of it: query and fragment dropped. */
export function linkWithoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0]!;
  }
}

/** Rows read before merging: personalised links are one row per recipient until their queries go. */
const LINKS_READ = 200;

/** Links merged once their queries are gone, most clicked first. */
export function mergeLinks(rows: { url: string; uniqueClicked: number }[]): { url: string; uniqueClicked: number }[] {
  const byUrl = new Map<string, number>();
  for (const row of rows) byUrl.set(linkWithoutQuery(row.url), (byUrl.get(linkWithoutQuery(row.url)) ?? 0) + row.uniqueClicked);
  return [...byUrl]
    .map(([url, uniqueClicked]) => ({ url, uniqueClicked }))
    .sort((a, b) => b.uniqueClicked - a.uniqueClicked || a.url.localeCompare(b.url))
    .slice(0, TOP_LINKS);
}

/**
 * Reads what a recommendation will be derived from, in the workspace only (another workspace's
 * id is not found). Aggregates and the workspace's own text; a relationship summary alone reads
 * its contact's relationship (lib/mailbox/relationship-basis.ts says exactly what).
 */
export async function gatherBasis(db: Db, workspaceId: string, request: BasisRequest, now = new Date()): Promise<BasisResult> {
  const { kind, targetType, targetId } = request;
  if (targetType === "contact") {
    const gathered = await relationshipBasis(db, { workspaceId, contactId: targetId });
    return gathered.ok ? { ok: true, basis: gathered.basis } : gathered;
  }
  if (targetType === "segment") {
    const segment = await getSegment(db, { workspaceId, segmentId: targetId });
    if (!segment) return { ok: false, status: 404, what: "Segment" };
    const stored = readStoredSegmentFilter(segment.filter);
    if (!stored.ok) return { ok: false, status: 409, message: `The segment's filter no longer passes the rules: ${stored.message}` };
    const { timezone } = await getDeliverySettings(db, { workspaceId });
    const since = new Date(now.getTime() - HEAT_MAP_DAYS * 86_400_000);
    // A day's start, so the basis (and its hash) stays the same through the day.
    since.setUTCHours(0, 0, 0, 0);
    const heatMap = await segmentEngagementHeatMap(db, { workspaceId, filter: stored.filter, timeZone: timezone, since });
    return {
      ok: true,
      basis: {
        kind: "send-time",
        target: { type: "segment", id: segment.id, name: segment.name },
        segmentFilter: redactSegmentFilter(stored.filter),
        timeZone: timezone,
        heatMap,
        totalEngagements: heatMap.reduce((sum, cell) => sum + cell.opens + cell.clicks, 0),
      },
    };
  }

  let template: Template | undefined;
  let campaign: Awaited<ReturnType<typeof getCampaign>>;
  if (targetType === "campaign") {
    campaign = await getCampaign(db, { workspaceId, campaignId: targetId });
    if (!campaign) return { ok: false, status: 404, what: "Campaign" };
    template = await getTemplate(db, { workspaceId, templateId: campaign.templateId });
  } else {
    template = await getTemplate(db, { workspaceId, templateId: targetId });
    if (!template) return { ok: false, status: 404, what: "Template" };
  }
  const target = { type: targetType, id: targetId, name: campaign?.name ?? template?.name ?? "" };

  if (kind === "campaign-summary" && campaign) {
    const totals = await campaignTotals(db, { workspaceId, campaignId: campaign.id });
    const others = await otherCampaignsTotals(db, { workspaceId, campaignId: campaign.id, channel: campaign.channel });
    const links = mergeLinks(await topLinks(db, { workspaceId, campaignId: campaign.id, limit: LINKS_READ }));
    return {
      ok: true,
      basis: {
        kind,
        target: { type: "campaign", id: campaign.id, name: campaign.name },
        campaign: {
          channel: campaign.channel,
          status: campaign.status,
          startedAt: campaign.startedAt?.toISOString() ?? null,
          finishedAt: campaign.finishedAt?.toISOString() ?? null,
          audienceCount: campaign.audienceCount,
        },
        totals,
        rates: campaignRates(totals),
        baseline: { campaigns: others.campaigns, rates: campaignRates(others.totals) },
        topLinks: links,
      },
    };
  }
  if (!template) return { ok: false, status: 409, message: "The campaign's template no longer exists" };
  const scoped = target as { type: "campaign" | "template"; id: string; name: string };
  if (kind === "subject-lines") {
    return { ok: true, basis: { kind, target: scoped, template: templateText(template), pastSubjects: await pastSubjectPerformance(db, { workspaceId, limit: PAST_SUBJECTS }) } };
  }
  return { ok: true, basis: { kind: "content-feedback", target: scoped, template: templateText(template) } };
}
