import { z } from "zod";
import { RECOMMENDATION_KINDS, RECOMMENDATION_SOURCES, RECOMMENDATION_TARGETS } from "@/core/ai/recommendation-kinds";
import { apiOperation } from "@/lib/api/api-operation";
import { listQuery } from "@/lib/api/list-query";
import { recommendationCreateRequest } from "@/lib/ai/recommendation-request";
import { idParams, jsonValue, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Recommendations";

export const recommendationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(RECOMMENDATION_KINDS),
    target: z.object({ type: z.enum(RECOMMENDATION_TARGETS), id: z.uuid() }),
    status: z.enum(["pending", "answered"]),
    source: z.enum(RECOMMENDATION_SOURCES).nullable().meta({ description: "openai: the model answered; heuristic: the deterministic rules (offline, or the model could not be used: see `note`)" }),
    model: z.string().nullable(),
    note: z.string().nullable().meta({ description: "Why the heuristics answered instead of the model, or that the answer was reused from the cache" }),
    cachedFrom: z.uuid().nullable().meta({ description: "The recommendation whose answer was reused (same question, same data): no model call was made" }),
    answer: z.record(z.string(), jsonValue).nullable().meta({ description: "The kind's structured answer; null while pending" }),
    basedOn: z
      .record(z.string(), jsonValue)
      .meta({ description: "Exactly the data the answer was derived from: aggregates, template text and segment definitions, never a contact's data — except a relationship summary, which carries that relationship's figures and its latest messages' subjects and snippets, addresses redacted" }),
    usage: z.object({ promptTokens: z.number().int(), completionTokens: z.number().int() }),
    createdAt: timestamp,
    answeredAt: nullableTimestamp,
  })
  .meta({ id: "Recommendation" });

export const recommendationsApi = {
  create: apiOperation({
    method: "post",
    path: "/recommendations",
    tag,
    summary: "Ask for a recommendation",
    description:
      "Subject lines and preheaders, the best send time of a segment, feedback on a template's content, or a plain-language summary of a campaign's results. Answered by OpenAI (structured outputs) when configured and within the workspace's daily token budget, otherwise by deterministic heuristics over the rollups, with a note saying why. The same question on the same data answers 200 with the stored answer; a new one answers 202 and is answered in the background: poll `GET /recommendations/{id}`.",
    body: recommendationCreateRequest,
    responses: {
      200: { description: "Answered before on the same data: the stored answer", schema: recommendationSchema },
      202: { description: "Accepted; answered in the background", schema: recommendationSchema },
    },
    errors: { 404: "No such campaign, template or segment in this workspace", 409: "The target cannot be read (a segment filter that no longer passes the rules)", 503: "The request could not be queued; retry" },
  }),
  list: apiOperation({
    method: "get",
    path: "/recommendations",
    tag,
    summary: "List recommendations, newest first",
    query: listQuery({ kind: z.enum(RECOMMENDATION_KINDS).optional(), targetId: z.uuid().optional().meta({ description: "Only those about this campaign, template, segment or contact" }) }),
    responses: { 200: { description: "A page of recommendations", schema: paged(recommendationSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/recommendations/{id}",
    tag,
    summary: "One recommendation, with its answer and what it was based on",
    params: idParams("recommendation"),
    responses: { 200: { description: "The recommendation", schema: recommendationSchema } },
    errors: { 404: "No such recommendation in this workspace" },
  }),
};
