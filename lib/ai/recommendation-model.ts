import type { RecommendationBasis, RecommendationSource } from "@/core/ai/recommendation-kinds";

/** Tokens one call spent, as the API's `usage` reported them (0 for the heuristics). */
export type ModelUsage = { promptTokens: number; completionTokens: number };

/** A validated answer (the kind's zod schema) and what it cost. */
export type ModelAnswer = { answer: Record<string, unknown>; usage: ModelUsage };

/**
 * What went wrong with a model's answer. `refused`, `malformed` and `rejected` (a 4xx such as a
 * bad key) are final; `rate-limited` and `unavailable` (429, 5xx, network) may pass on a retry.
 * Tokens spent on a refused or malformed answer still count against the budget.
 */
export type AiFailureKind = "refused" | "malformed" | "rate-limited" | "unavailable" | "rejected";

export class AiModelError extends Error {
  constructor(
    message: string,
    readonly kind: AiFailureKind,
    readonly usage: ModelUsage = { promptTokens: 0, completionTokens: 0 },
  ) {
    super(message);
    this.name = "AiModelError";
  }

  get retryable(): boolean {
    return this.kind === "rate-limited" || this.kind === "unavailable";
  }
}

/**
 * Something that turns a recommendation's basis into an answer: the deterministic heuristics
 * (the local default) or a vendor's model. One method, so a vendor is one folder.
 */
export interface RecommendationModel {
  readonly source: RecommendationSource;
  /** The vendor's model name; null for the heuristics. Part of the cache key. */
  readonly model: string | null;
  /** Throws AiModelError; the answer it returns has passed the kind's schema. */
  recommend(basis: RecommendationBasis): Promise<ModelAnswer>;
}
