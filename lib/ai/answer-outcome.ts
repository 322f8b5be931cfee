import type { RecommendationBasis } from "@/core/ai/recommendation-kinds";
import type { Db } from "@/db";
import { type AiRecommendation, answerRecommendation, getRecommendation, type RecommendationOutcome } from "@/db/queries/ai-recommendations";
import { metrics } from "@/lib/observability/metrics";
import { logger } from "@/lib/observability/logger";
import { heuristicAnswer } from "./heuristic/heuristic-model";
import type { AiFailureKind, ModelUsage } from "./recommendation-model";

/** Why an answer came from somewhere other than the model asked, as the metric's outcome label. */
export type FallbackReason = "offline" | "over_budget" | "refused" | "malformed" | "rate_limited" | "unavailable" | "rejected";

export const failureReason = (kind: AiFailureKind): FallbackReason => (kind === "rate-limited" ? "rate_limited" : kind);

/**
 * The heuristics' answer, with the note saying why they answered. Only the offline default is
 * cacheable: a model that failed, refused or was over budget is asked again next time.
 */
export function heuristicOutcome(basis: RecommendationBasis, reason: FallbackReason, note: string, usage: ModelUsage = { promptTokens: 0, completionTokens: 0 }): RecommendationOutcome {
  return { source: "heuristic", model: null, answer: heuristicAnswer(basis), note, cacheable: reason === "offline", cachedFrom: null, ...usage };
}

/** A cache hit: the earlier answer, no tokens spent. */
export function cachedOutcome(from: AiRecommendation): RecommendationOutcome {
  return {
    source: from.source ?? "heuristic",
    model: from.model,
    answer: from.answer ?? {},
    note: `Reused the answer to the same question on the same data (recommendation ${from.id}); no model call.`,
    cacheable: false,
    cachedFrom: from.id,
    promptTokens: 0,
    completionTokens: 0,
  };
}

/** Counts and logs an answer once it is stored. Never the prompt's text. */
export function reportOutcome(row: Pick<AiRecommendation, "id" | "workspaceId" | "kind">, outcome: RecommendationOutcome, label: FallbackReason | "answered" | "cached"): void {
  const m = metrics();
  m.aiRequests.inc({ kind: row.kind, source: outcome.source, outcome: label });
  if (outcome.promptTokens > 0) m.aiTokens.inc({ kind: row.kind, type: "prompt" }, outcome.promptTokens);
  if (outcome.completionTokens > 0) m.aiTokens.inc({ kind: row.kind, type: "completion" }, outcome.completionTokens);
  const fields = { recommendationId: row.id, workspaceId: row.workspaceId, kind: row.kind, source: outcome.source, model: outcome.model, outcome: label, promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens };
  if (label === "answered" || label === "cached" || label === "offline") logger.info(fields, "ai: recommendation answered");
  else logger.warn({ ...fields, note: outcome.note }, "ai: recommendation answered by the heuristics instead of the model");
}

/**
 * The last resort when a run fails for good (the database was away through every retry, a bug):
 * the question is answered from the heuristics with the reason, so no recommendation stays
 * pending for ever. Nothing when it was answered meanwhile.
 */
export async function answerAfterFailure(db: Db, ids: { workspaceId: string; recommendationId: string }, error: { message: string }): Promise<AiRecommendation | undefined> {
  const row = await getRecommendation(db, ids);
  if (!row || row.status !== "pending") return undefined;
  const outcome = heuristicOutcome(row.basis, "unavailable", `Generating the recommendation failed (${error.message.slice(0, 200)}): answered by the heuristics.`);
  const answered = await answerRecommendation(db, { ...ids, outcome, day: new Date().toISOString().slice(0, 10) });
  if (answered) reportOutcome(answered, outcome, "unavailable");
  return answered;
}
