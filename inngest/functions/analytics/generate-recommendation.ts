import { getDatabase } from "@/db";
import { answerRecommendation, findCachedRecommendation, getRecommendation, type RecommendationOutcome, tokensUsedOn } from "@/db/queries/ai-recommendations";
import { inngest } from "@/inngest/client";
import { recommendationRequested } from "@/inngest/events";
import { answerAfterFailure, type FallbackReason, cachedOutcome, failureReason, heuristicOutcome, reportOutcome } from "@/lib/ai/answer-outcome";
import { createRecommendationModel, dailyTokenBudget } from "@/lib/ai/create-recommendation-model";
import { AiModelError } from "@/lib/ai/recommendation-model";

/** Attempts after the first; a 429 or 5xx from the model is retried, the last failure answers from the heuristics. */
export const RECOMMENDATION_RETRIES = 3;
/** Model calls one workspace may start per minute: one workspace's burst never takes everyone's quota. */
export const RECOMMENDATIONS_PER_WORKSPACE_PER_MINUTE = 10;

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Answers a stored recommendation: from the cache when the same question on the same data was
 * answered, from the model when a key is configured and the workspace's daily token budget
 * allows, otherwise (and whenever the model fails, refuses or answers badly) from the
 * heuristics, with a note saying why. Never fails for the model's sake.
 */
export const generateRecommendation = inngest.createFunction(
  {
    id: "generate-recommendation",
    triggers: [recommendationRequested],
    throttle: { key: "event.data.workspaceId", limit: RECOMMENDATIONS_PER_WORKSPACE_PER_MINUTE, period: "1m" },
    retries: RECOMMENDATION_RETRIES,
    onFailure: async ({ event, error }) => {
      await answerAfterFailure((await getDatabase()).db, event.data.event.data, error);
    },
  },
  async ({ event, step, attempt }) => {
    const ids = { workspaceId: event.data.workspaceId, recommendationId: event.data.recommendationId };
    const pending = await step.run("load-recommendation", async () => {
      const row = await getRecommendation((await getDatabase()).db, ids);
      return row && row.status === "pending" ? { kind: row.kind, inputHash: row.inputHash, basis: row.basis } : null;
    });
    if (!pending) return { skipped: "no pending recommendation with this id in this workspace" };

    const cached = await step.run("find-cached-answer", async () => {
      const row = await findCachedRecommendation((await getDatabase()).db, { workspaceId: ids.workspaceId, kind: pending.kind, inputHash: pending.inputHash });
      return row ? cachedOutcome(row) : null;
    });

    const decided = cached
      ? { outcome: cached, label: "cached" as const }
      : await step.run("check-budget", async () => {
          const model = createRecommendationModel();
          if (model.source === "heuristic") {
            return { outcome: heuristicOutcome(pending.basis, "offline", "Answered by the heuristics over the rollups (no OPENAI_API_KEY is configured)."), label: "offline" as const };
          }
          const budget = dailyTokenBudget();
          const used = await tokensUsedOn((await getDatabase()).db, { workspaceId: ids.workspaceId, day: utcDay(new Date()) });
          if (used >= budget) {
            return { outcome: heuristicOutcome(pending.basis, "over_budget", `The workspace's AI token budget for today (${budget} tokens, UTC) is spent (${used} used): answered by the heuristics.`), label: "over_budget" as const };
          }
          return null;
        });

    const answered: { outcome: RecommendationOutcome; label: FallbackReason | "answered" | "cached" } =
      decided ??
      (await step.run("ask-model", async () => {
        const model = createRecommendationModel();
        try {
          const { answer, usage } = await model.recommend(pending.basis);
          return { outcome: { source: model.source, model: model.model, answer, note: null, cacheable: true, cachedFrom: null, ...usage }, label: "answered" as const };
        } catch (error) {
          if (!(error instanceof AiModelError)) throw error;
          // A 429 or 5xx may pass: let Inngest retry the step, durably, until the last attempt.
          if (error.retryable && attempt < RECOMMENDATION_RETRIES) throw error;
          const retried = error.retryable ? ` after ${attempt + 1} attempts` : "";
          return { outcome: heuristicOutcome(pending.basis, failureReason(error.kind), `The model's answer could not be used (${error.message}${retried}): answered by the heuristics.`, error.usage), label: failureReason(error.kind) };
        }
      }));

    return step.run("record-answer", async () => {
      const row = await answerRecommendation((await getDatabase()).db, { ...ids, outcome: answered.outcome, day: utcDay(new Date()) });
      if (row) reportOutcome(row, answered.outcome, answered.label);
      return { recommendationId: ids.recommendationId, source: answered.outcome.source, outcome: answered.label, recorded: Boolean(row) };
    });
  },
);
