import type { Db } from "@/db";
import { type AiRecommendation, findCachedRecommendation, insertRecommendation } from "@/db/queries/ai-recommendations";
import type { RecommendationModel } from "./recommendation-model";
import { type BasisRequest, gatherBasis } from "./recommendation-basis";
import { recommendationInputHash } from "./input-hash";

export type RequestedRecommendation =
  | { ok: true; cached: true; recommendation: AiRecommendation }
  | { ok: true; cached: false; recommendation: AiRecommendation }
  | { ok: false; status: 404; what: string }
  | { ok: false; status: 409; message: string };

/**
 * Reads the basis, and answers from the cache when the same kind was answered for the same
 * data by the same engine; otherwise stores a pending recommendation for generate-recommendation
 * (the caller sends its event: lib/ never sends).
 */
export async function requestRecommendation(db: Db, workspaceId: string, request: BasisRequest, model: Pick<RecommendationModel, "source" | "model">): Promise<RequestedRecommendation> {
  const gathered = await gatherBasis(db, workspaceId, request);
  if (!gathered.ok) return gathered;
  const inputHash = recommendationInputHash(gathered.basis, model);
  const cached = await findCachedRecommendation(db, { workspaceId, kind: request.kind, inputHash });
  if (cached) return { ok: true, cached: true, recommendation: cached };
  const recommendation = await insertRecommendation(db, { workspaceId, ...request, inputHash, basis: gathered.basis });
  return { ok: true, cached: false, recommendation };
}
