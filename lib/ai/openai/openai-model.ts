import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { ANSWER_SCHEMAS, type RecommendationBasis } from "@/core/ai/recommendation-kinds";
import { AiModelError, type ModelAnswer, type ModelUsage, type RecommendationModel } from "../recommendation-model";
import { recommendationMessages } from "./recommendation-prompt";

/** Bounds one answer's cost (and a runaway answer): the longest schema fits well within it. */
export const MAX_COMPLETION_TOKENS = 1_500;
export const OPENAI_TIMEOUT_MS = 60_000;

export type OpenAiModelOptions = { apiKey: string; baseURL?: string; model: string };

/**
 * Recommendations from OpenAI's Chat Completions with structured outputs: the kind's zod schema
 * becomes a strict `json_schema` response format, and the answer is parsed with the same schema.
 * The SDK's own retries are off: the Inngest step retries, durably and counted.
 */
export class OpenAiModel implements RecommendationModel {
  readonly source = "openai" as const;
  readonly model: string;
  private readonly client: OpenAI;

  constructor(options: OpenAiModelOptions) {
    this.model = options.model;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: OPENAI_TIMEOUT_MS });
  }

  async recommend(basis: RecommendationBasis): Promise<ModelAnswer> {
    const schema = ANSWER_SCHEMAS[basis.kind];
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create({
        model: this.model,
        messages: recommendationMessages(basis),
        response_format: zodResponseFormat(schema, basis.kind.replace(/-/g, "_")),
        max_completion_tokens: MAX_COMPLETION_TOKENS,
      });
    } catch (error) {
      throw asModelError(error);
    }
    const usage: ModelUsage = { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 };
    const choice = completion.choices[0];
    if (!choice) throw new AiModelError("OpenAI answered with no choice", "malformed", usage);
    if (choice.message.refusal) throw new AiModelError(`the model refused: ${choice.message.refusal.slice(0, 200)}`, "refused", usage);
    if (choice.finish_reason === "length") throw new AiModelError("the answer was cut off at the token limit", "malformed", usage);
    if (choice.finish_reason === "content_filter") throw new AiModelError("the answer was withheld by OpenAI's content filter", "refused", usage);
    let json: unknown;
    try {
      json = JSON.parse(choice.message.content ?? "");
    } catch {
      throw new AiModelError("the answer was not valid JSON", "malformed", usage);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new AiModelError(`the answer did not match the schema (${first?.path.join(".") || "answer"}: ${first?.message})`, "malformed", usage);
    }
    return { answer: parsed.data as Record<string, unknown>, usage };
  }
}

/** The SDK's errors as our kinds: 429 and 5xx (and no answer at all) may pass; other 4xx will not. */
export function asModelError(error: unknown): AiModelError {
  if (error instanceof OpenAI.APIConnectionError) return new AiModelError(`OpenAI could not be reached (${error.message})`, "unavailable");
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    if (status === 429) return new AiModelError("OpenAI rate-limited the request (429)", "rate-limited");
    if (status >= 500) return new AiModelError(`OpenAI failed (${status})`, "unavailable");
    return new AiModelError(`OpenAI refused the request (${status}${error.code ? ` ${error.code}` : ""})`, "rejected");
  }
  return new AiModelError(`OpenAI call failed: ${error instanceof Error ? error.message : String(error)}`, "unavailable");
}
