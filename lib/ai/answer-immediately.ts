import type { RecommendationBasis } from "@/core/ai/recommendation-kinds";
import type { Db } from "@/db";
import { type RecommendationOutcome, tokensUsedOn } from "@/db/queries/ai-recommendations";
import { type FallbackReason, failureReason, heuristicOutcome } from "./answer-outcome";
import { dailyTokenBudget } from "./create-recommendation-model";
import { AiModelError, type RecommendationModel } from "./recommendation-model";

export type ImmediateAnswer = { outcome: RecommendationOutcome; label: FallbackReason | "answered" };

/**
 * Answers a basis there and then, by the rules generate-recommendation follows in its steps: the
 * heuristics when no model is configured (a reusable answer); the heuristics with a note when the
 * workspace's daily token budget is spent; otherwise the model, and when it fails, refuses or
 * answers off its schema, the heuristics with a note saying why. Nothing is retried here (the
 * caller waits): a fallback answer is not reusable, so the next ask tries the model again.
 */
export async function answerImmediately(db: Db, params: { workspaceId: string; basis: RecommendationBasis; model: RecommendationModel; now: Date }): Promise<ImmediateAnswer> {
  const { basis, model } = params;
  if (model.source === "heuristic") {
    return { outcome: heuristicOutcome(basis, "offline", "Answered by the heuristics (no OPENAI_API_KEY is configured)."), label: "offline" };
  }
  const budget = dailyTokenBudget();
  const used = await tokensUsedOn(db, { workspaceId: params.workspaceId, day: params.now.toISOString().slice(0, 10) });
  if (used >= budget) {
    return {
      outcome: heuristicOutcome(basis, "over_budget", `The workspace's AI token budget for today (${budget} tokens, UTC) is spent (${used} used): answered by the heuristics.`),
      label: "over_budget",
    };
  }
  try {
    const { answer, usage } = await model.recommend(basis);
    return { outcome: { source: model.source, model: model.model, answer, note: null, cacheable: true, cachedFrom: null, ...usage }, label: "answered" };
  } catch (error) {
    if (!(error instanceof AiModelError)) throw error;
    return {
      outcome: heuristicOutcome(basis, failureReason(error.kind), `The model's answer could not be used (${error.message}): answered by the heuristics.`, error.usage),
      label: failureReason(error.kind),
    };
  }
}
