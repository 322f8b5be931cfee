import { createHash } from "node:crypto";
import type { RecommendationBasis } from "@/core/ai/recommendation-kinds";
import type { RecommendationModel } from "./recommendation-model";

/** JSON with object keys sorted at every level: the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cache key: the basis (which names the kind) and the engine asked, so turning OpenAI on,
 * or changing its model, asks again rather than reusing the heuristics' answer.
 */
export function recommendationInputHash(basis: RecommendationBasis, model: Pick<RecommendationModel, "source" | "model">): string {
  return createHash("sha256")
    .update(canonicalJson({ basis, engine: `${model.source}:${model.model ?? ""}` }))
    .digest("hex");
}
