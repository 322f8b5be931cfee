import { ANSWER_SCHEMAS, type RecommendationBasis } from "@/core/ai/recommendation-kinds";
import type { ModelAnswer, RecommendationModel } from "../recommendation-model";
import { summarizeCampaign } from "./campaign-summary-rules";
import { reviewContent } from "./content-checks";
import { relationshipSummaryRules } from "./relationship-summary-rules";
import { suggestSendTime } from "./send-time-rules";
import { suggestSubjectLines } from "./subject-line-rules";

/** The basis, answered by rules: the local default (no account, no network) and every fallback. */
export function heuristicAnswer(basis: RecommendationBasis): Record<string, unknown> {
  const answer = (() => {
    switch (basis.kind) {
      case "subject-lines":
        return suggestSubjectLines(basis);
      case "send-time":
        return suggestSendTime(basis);
      case "content-feedback":
        return reviewContent(basis.template);
      case "campaign-summary":
        return summarizeCampaign(basis);
      case "relationship-summary":
        return relationshipSummaryRules(basis);
    }
  })();
  // The rules answer in the same schema as the model, and are held to it.
  return ANSWER_SCHEMAS[basis.kind].parse(answer) as Record<string, unknown>;
}

export class HeuristicModel implements RecommendationModel {
  readonly source = "heuristic" as const;
  readonly model = null;

  async recommend(basis: RecommendationBasis): Promise<ModelAnswer> {
    return { answer: heuristicAnswer(basis), usage: { promptTokens: 0, completionTokens: 0 } };
  }
}
