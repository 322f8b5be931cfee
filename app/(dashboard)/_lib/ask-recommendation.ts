import type { Db } from "@/db";
import { RECOMMENDATION_TARGETS, type RecommendationKind, type RecommendationTarget } from "@/core/ai/recommendation-kinds";
import type { RecommendationModel } from "@/lib/ai/recommendation-model";
import { requestRecommendation } from "@/lib/ai/request-recommendation";
import { recommendationCreateRequest } from "@/lib/ai/recommendation-request";

export type AskRecommendationState = { ok: boolean; message: string };
/** A pending answer usually lands within a second or two. */
export const RECOMMENDATION_REFRESH_MS = 1_500;

export const IDLE_ASK: AskRecommendationState = { ok: true, message: "" };

export const KIND_LABELS: Record<RecommendationKind, string> = {
  "subject-lines": "Subject lines and preheaders",
  "send-time": "Best send time",
  "content-feedback": "Content feedback",
  "campaign-summary": "Campaign results summary",
  "relationship-summary": "Relationship summary",
};

/**
 * The dashboard's "Ask" button, as POST /api/v1/recommendations does it: the same request
 * schema (target given as `campaign:<id>`), the same cache, then the event. The message is what
 * the operator reads.
 */
export async function askRecommendation(
  db: Db,
  params: { workspaceId: string; kind: string; target: string; model: Pick<RecommendationModel, "source" | "model">; send: (ids: { workspaceId: string; recommendationId: string }) => Promise<void> },
): Promise<AskRecommendationState> {
  const [type, id] = params.target.split(":");
  // A target of no known type is no target: the schema then says which one the kind needs.
  const target = RECOMMENDATION_TARGETS.includes(type as RecommendationTarget) ? { [`${type}Id`]: id } : {};
  const parsed = recommendationCreateRequest.safeParse({ kind: params.kind, ...target });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Cannot ask that: ${issue?.path.join(".") || "request"} ${issue?.message ?? "is invalid"}.` };
  }
  const requested = await requestRecommendation(db, params.workspaceId, parsed.data, params.model);
  if (!requested.ok) return { ok: false, message: requested.status === 404 ? `That ${requested.what.toLowerCase()} no longer exists in this workspace.` : requested.message };
  if (requested.cached) return { ok: true, message: "Answered before on the same data: the stored answer is shown below." };
  try {
    await params.send({ workspaceId: params.workspaceId, recommendationId: requested.recommendation.id });
  } catch {
    return { ok: false, message: "Asked, but the request could not be queued: try again." };
  }
  return { ok: true, message: "Asked: the answer appears below in a moment." };
}
