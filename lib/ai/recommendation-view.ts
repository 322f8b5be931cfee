import type { AiRecommendation } from "@/db/queries/ai-recommendations";

/** A recommendation as the API and the dashboard show it: the answer next to what it was based on. */
export function recommendationView(row: AiRecommendation) {
  return {
    id: row.id,
    kind: row.kind,
    target: { type: row.targetType, id: row.targetId },
    status: row.status,
    source: row.source,
    model: row.model,
    note: row.note,
    cachedFrom: row.cachedFrom,
    answer: row.answer,
    basedOn: row.basis as unknown as Record<string, unknown>,
    usage: { promptTokens: row.promptTokens, completionTokens: row.completionTokens },
    createdAt: row.createdAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
  };
}
