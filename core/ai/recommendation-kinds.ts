import { funnelOf, type Rate } from "@/core/analytics/funnel";
import { z } from "zod";
import type { EngagementTotals } from "@/core/analytics/engagement";
import type { RelationshipFacts, RelationshipMessageExcerpt } from "@/core/mailbox/relationship-facts";

/**
 * What Sendline can recommend, and what each recommendation is about. Declared once: the API's
 * enums, the database column and the model's structured outputs are built from these.
 */
export const RECOMMENDATION_KINDS = ["subject-lines", "send-time", "content-feedback", "campaign-summary", "relationship-summary"] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

export const RECOMMENDATION_TARGETS = ["campaign", "template", "segment", "contact"] as const;
export type RecommendationTarget = (typeof RECOMMENDATION_TARGETS)[number];

/** Which targets each kind accepts: subject lines for a campaign's template or a template, and so on. */
export const TARGETS_BY_KIND: Record<RecommendationKind, readonly RecommendationTarget[]> = {
  "subject-lines": ["campaign", "template"],
  "send-time": ["segment"],
  "content-feedback": ["template", "campaign"],
  "campaign-summary": ["campaign"],
  "relationship-summary": ["contact"],
};

/**
 * Kinds asked per contact, synchronously, from the contact's relationship (POST
 * /api/v1/contacts/{id}/relationship/summary): not through POST /api/v1/recommendations.
 */
export const CONTACT_KINDS: readonly RecommendationKind[] = ["relationship-summary"];

/** Where an answer came from: the model, or the deterministic rules over the rollups. */
export const RECOMMENDATION_SOURCES = ["openai", "heuristic"] as const;
export type RecommendationSource = (typeof RECOMMENDATION_SOURCES)[number];

// The answers are the model's structured outputs: every field required and no open objects,
// as OpenAI's strict mode demands, and bounded so a runaway answer is refused by validation.
const text = (max: number) => z.string().min(1).max(max);

export const subjectLinesAnswer = z.strictObject({
  suggestions: z
    .array(z.strictObject({ subject: text(150), preheader: text(200), rationale: text(500) }))
    .min(1)
    .max(5),
});

export const sendTimeAnswer = z.strictObject({
  slots: z
    .array(
      z.strictObject({
        dayOfWeek: z.number().int().min(0).max(6).meta({ description: "0 = Sunday … 6 = Saturday, in the workspace's time zone" }),
        hour: z.number().int().min(0).max(23),
        rationale: text(500),
      }),
    )
    .min(1)
    .max(3),
  explanation: text(1000),
});

export const contentFeedbackAnswer = z.strictObject({
  findings: z
    .array(z.strictObject({ severity: z.enum(["problem", "warning", "info"]), issue: text(300), suggestion: text(500) }))
    .max(12),
  summary: text(1000),
});

export const campaignSummaryAnswer = z.strictObject({
  headline: text(200),
  summary: text(2000),
  highlights: z.array(text(300)).max(6),
  concerns: z.array(text(300)).max(6),
});

export const relationshipSummaryAnswer = z.strictObject({
  summary: text(600).meta({ description: "Two or three sentences on the relationship, from the figures and the recent messages" }),
  nextAction: text(300).meta({ description: "One concrete next step for the mailbox owner" }),
});

export const ANSWER_SCHEMAS = {
  "subject-lines": subjectLinesAnswer,
  "send-time": sendTimeAnswer,
  "content-feedback": contentFeedbackAnswer,
  "campaign-summary": campaignSummaryAnswer,
  "relationship-summary": relationshipSummaryAnswer,
} as const satisfies Record<RecommendationKind, z.ZodType>;

export type RecommendationAnswer<K extends RecommendationKind = RecommendationKind> = z.infer<(typeof ANSWER_SCHEMAS)[K]>;

/** A template's text as written: Liquid variables unrendered, so no contact's data is in it. */
export type TemplateText = { id: string; name: string; channel: string; subject: string | null; body: string };

/** How one past campaign's subject did (rollup totals; rates are unique opens ÷ delivered). */
export type SubjectPerformance = { subject: string; campaigns: number; delivered: number; uniqueOpened: number; openRate: number | null };

/** Human opens and clicks of a segment's contacts in one local weekday × hour. */
export type HeatCell = { dayOfWeek: number; hour: number; opens: number; clicks: number };

/**
 * Exactly the data a recommendation is derived from, per kind: what the model is shown and what
 * the heuristics read, stored with the answer ("basedOn"). Aggregates, template text and segment
 * definitions only: never a recipient's address, name or attribute values. The one exception is
 * the relationship summary, which is about one person by nature: it carries that relationship's
 * figures and the subjects and snippets of its last few messages, with every address in them
 * redacted (and an erasure of the contact deletes it).
 */
export type RecommendationBasis =
  | { kind: "subject-lines"; target: { type: "campaign" | "template"; id: string; name: string }; template: TemplateText; pastSubjects: SubjectPerformance[] }
  | {
      kind: "send-time";
      target: { type: "segment"; id: string; name: string };
      /** The segment's filter with every compared value replaced by its type: values can be personal. */
      segmentFilter: unknown;
      timeZone: string;
      heatMap: HeatCell[];
      totalEngagements: number;
    }
  | { kind: "content-feedback"; target: { type: "campaign" | "template"; id: string; name: string }; template: TemplateText }
  | {
      kind: "campaign-summary";
      target: { type: "campaign"; id: string; name: string };
      campaign: { channel: string; status: string; startedAt: string | null; finishedAt: string | null; audienceCount: number | null };
      totals: EngagementTotals;
      rates: CampaignRates;
      /** The workspace's other campaigns of the same channel, summed (the trailing baseline). */
      baseline: { campaigns: number; rates: CampaignRates };
      /** Links without their query strings: a rendered link can carry a recipient's data. */
      topLinks: { url: string; uniqueClicked: number }[];
    }
  | {
      kind: "relationship-summary";
      /** The contact by id only: the model needs neither the name nor the address. */
      target: { type: "contact"; id: string };
      /** The UTC day the figures were computed; every "days" below counts to it. */
      asOf: string;
      relationship: RelationshipFacts;
      /** Newest first, at most RELATIONSHIP_SUMMARY_MESSAGES, never bodies. */
      messages: RelationshipMessageExcerpt[];
    };

/**
 * A campaign's rates as the model and the heuristics read them: the funnel's own (funnelOf: opens,
 * clicks, complaints and unsubscribes per message that reached a mailbox, bounces per sent),
 * rounded to 4 places.
 */
export type CampaignRates = { openRate: number | null; clickRate: number | null; bounceRate: number | null; complaintRate: number | null; unsubscribeRate: number | null };

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

export function campaignRates(totals: EngagementTotals): CampaignRates {
  const { rates } = funnelOf(totals);
  const rounded = (rate: Rate) => ratio(rate.numerator, rate.denominator);
  return {
    openRate: rounded(rates.openRate),
    clickRate: rounded(rates.clickRate),
    bounceRate: rounded(rates.bounceRate),
    complaintRate: rounded(rates.complaintRate),
    unsubscribeRate: rounded(rates.unsubscribeRate),
  };
}

/**
 * A segment filter with what it compares against replaced by the value's type (`<text>`,
 * `<number>`): the shape says who the segment is; the values may be someone's address.
 */
export function redactSegmentFilter(filter: unknown): unknown {
  if (Array.isArray(filter)) return filter.map(redactSegmentFilter);
  if (filter === null || typeof filter !== "object") return filter;
  return Object.fromEntries(
    Object.entries(filter).map(([key, value]) => [key, key === "value" ? redactValue(value) : redactSegmentFilter(value)]),
  );
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return `<${value.length} values>`;
  if (typeof value === "boolean") return value;
  return `<${typeof value === "number" ? "number" : "text"}>`;
}
