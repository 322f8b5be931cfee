import { type Env, envValue } from "@/core/config/env";
import { HeuristicModel } from "./heuristic/heuristic-model";
import { OpenAiModel } from "./openai/openai-model";
import type { RecommendationModel } from "./recommendation-model";

export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

/** OpenAI when OPENAI_API_KEY is set (OPENAI_BASE_URL and OPENAI_MODEL honoured), else the heuristics. */
export function createRecommendationModel(env: Env = process.env): RecommendationModel {
  const apiKey = envValue("OPENAI_API_KEY", env);
  if (!apiKey) return new HeuristicModel();
  return new OpenAiModel({ apiKey, baseURL: envValue("OPENAI_BASE_URL", env), model: envValue("OPENAI_MODEL", env) ?? DEFAULT_OPENAI_MODEL });
}

/** Tokens one workspace may spend per UTC day. */
export const dailyTokenBudget = (env: Env = process.env): number => envValue("AI_DAILY_TOKEN_BUDGET", env);
