import type { Db } from "@/db";
import { answerRecommendation, countRecommendationsSince, findCachedRecommendation, insertRecommendation } from "@/db/queries/ai-recommendations";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { type ContactRelationship, saveRelationshipSummary } from "@/db/queries/contact-relationships";
import type { RecommendationAnswer, RecommendationSource } from "@/core/ai/recommendation-kinds";
import { answerImmediately } from "@/lib/ai/answer-immediately";
import { answerAfterFailure, cachedOutcome, reportOutcome } from "@/lib/ai/answer-outcome";
import { recommendationInputHash } from "@/lib/ai/input-hash";
import type { RecommendationModel } from "@/lib/ai/recommendation-model";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { relationshipBasis } from "./relationship-basis";

const KIND = "relationship-summary";
/** Model calls one workspace may start per minute, as generate-recommendation's throttle allows the other kinds. */
export const RELATIONSHIP_SUMMARIES_PER_WORKSPACE_PER_MINUTE = 10;
const THROTTLE_WINDOW_MS = 60_000;

export type SummariseResult =
  | { ok: true; cached: boolean; relationship: ContactRelationship }
  | { ok: false; status: 404; what: string }
  | { ok: false; status: 409; message: string }
  | { ok: false; status: 429; message: string; retryAfterSeconds: number };

function count(source: RecommendationSource, outcome: string): void {
  metrics().relationshipSummaries.inc({ source, outcome });
}

/**
 * Summarises the owner's relationship with a contact and suggests a next action — on demand,
 * answered before this returns (one small call), through the recommendation framework: the
 * basis (lib/mailbox/relationship-basis.ts) is hashed with the engine asked, and an unchanged
 * relationship answers from the relationship row (or another stored answer to the same basis)
 * without asking again. Otherwise the question is stored as a recommendation and answered by
 * answerImmediately (heuristics offline, the daily token budget, fallbacks with a note); model
 * calls are limited per workspace per minute (429 past it, with when to retry). The summary lands
 * on the relationship row; the recommendation keeps exactly what the model was shown.
 */
export async function summariseRelationship(
  db: Db,
  params: { workspaceId: string; contactId: string; model: RecommendationModel; actor: string; now?: Date },
): Promise<SummariseResult> {
  const now = params.now ?? new Date();
  const ids = { workspaceId: params.workspaceId, contactId: params.contactId };
  const gathered = await relationshipBasis(db, ids);
  if (!gathered.ok) return gathered;
  const { basis, relationship } = gathered;
  const inputHash = recommendationInputHash(basis, params.model);

  if (relationship.summary && relationship.inputHash === inputHash) {
    count(relationship.summarySource ?? "heuristic", "cached");
    return { ok: true, cached: true, relationship };
  }
  const stored = await findCachedRecommendation(db, { workspaceId: params.workspaceId, kind: KIND, inputHash });
  if (stored?.answer) {
    const outcome = cachedOutcome(stored);
    const answer = stored.answer as RecommendationAnswer<typeof KIND>;
    const saved = await saveRelationshipSummary(db, { ...ids, ...answer, source: outcome.source, note: outcome.note, inputHash, recommendationId: stored.id, at: now });
    reportOutcome(stored, outcome, "cached");
    count(outcome.source, "cached");
    return { ok: true, cached: true, relationship: saved ?? relationship };
  }

  if (params.model.source === "openai") {
    const asked = await countRecommendationsSince(db, { workspaceId: params.workspaceId, kind: KIND, since: new Date(now.getTime() - THROTTLE_WINDOW_MS) });
    if (asked >= RELATIONSHIP_SUMMARIES_PER_WORKSPACE_PER_MINUTE) {
      count("openai", "throttled");
      logger.warn({ ...ids, asked }, "mailbox: relationship summary throttled");
      return {
        ok: false,
        status: 429,
        retryAfterSeconds: THROTTLE_WINDOW_MS / 1000,
        message: `This workspace asked for ${RELATIONSHIP_SUMMARIES_PER_WORKSPACE_PER_MINUTE} summaries in the last minute, the most allowed: try again within a minute`,
      };
    }
  }

  const row = await insertRecommendation(db, { workspaceId: params.workspaceId, kind: KIND, targetType: "contact", targetId: params.contactId, inputHash, basis });
  const recommendation = { workspaceId: params.workspaceId, recommendationId: row.id };
  let answered;
  try {
    answered = await answerImmediately(db, { workspaceId: params.workspaceId, basis, model: params.model, now });
  } catch (error) {
    // Not the model's failure (it would have been a fallback): no question stays pending for ever.
    await answerAfterFailure(db, recommendation, error instanceof Error ? error : { message: String(error) });
    throw error;
  }
  const { outcome, label } = answered;
  // Two writes, in this order: should the second fail, the stored answer is the cache next time.
  const recorded = await answerRecommendation(db, { ...recommendation, outcome, day: now.toISOString().slice(0, 10) });
  const answer = outcome.answer as RecommendationAnswer<typeof KIND>;
  const saved = await saveRelationshipSummary(db, {
    ...ids,
    ...answer,
    source: outcome.source,
    note: outcome.note,
    inputHash: outcome.cacheable ? inputHash : null,
    recommendationId: row.id,
    at: now,
  });
  if (recorded) reportOutcome(recorded, outcome, label);
  count(outcome.source, label);
  await insertAuditEntry(db, {
    workspaceId: params.workspaceId,
    actor: params.actor,
    action: "contact.relationship_summarised",
    targetType: "contact",
    targetId: params.contactId,
    details: { recommendationId: row.id, source: outcome.source, outcome: label },
  });
  return { ok: true, cached: false, relationship: saved ?? relationship };
}
