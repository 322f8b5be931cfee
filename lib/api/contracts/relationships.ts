import { z } from "zod";
import { RECOMMENDATION_SOURCES } from "@/core/ai/recommendation-kinds";
import { decodeRelationshipCursor, RELATIONSHIP_VIEWS } from "@/core/mailbox/relationship-views";
import { apiOperation } from "@/lib/api/api-operation";
import { cursorParam, pageParams } from "@/lib/api/pagination";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Mailbox";
const count = z.number().int();

export const relationshipSummarySchema = z
  .object({
    text: z.string(),
    nextAction: z.string(),
    source: z.enum(RECOMMENDATION_SOURCES).meta({ description: "openai: the model answered; heuristic: the deterministic rules (offline, or the model could not be used: see `note`)" }),
    note: z.string().nullable().meta({ description: "Why the heuristics answered instead of the model, or that the answer was reused" }),
    recommendationId: z.uuid().nullable().meta({ description: "The stored recommendation (GET /recommendations/{id}): exactly what the answer was derived from" }),
    summarisedAt: timestamp,
  })
  .meta({ id: "RelationshipSummary" });

export const relationshipSchema = z
  .object({
    contactId: z.uuid(),
    contact: z.object({ email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable() }).optional().meta({ description: "In lists" }),
    strength: z.number().meta({ description: "0–100 as of `computedAt`: frequency (log-scaled), reciprocity and reply speed, times a recency that halves every 45 days of silence" }),
    peakStrength: z.number().meta({ description: "0–100 at the last interaction, before any silence" }),
    goingCold: z.boolean().meta({ description: "Was strong (peak ≥ 50) and has been silent longer than max(30 days, 3 × its usual gap)" }),
    messages: z.object({
      sent: count.meta({ description: "The mailbox owner's messages naming the contact (automated mail never counts)" }),
      received: count.meta({ description: "Other messages naming the contact: from them, or copying them" }),
      sentLast90Days: count,
      receivedLast90Days: count,
    }),
    firstInteractionAt: timestamp,
    lastInteractionAt: timestamp,
    usualGapDays: z.number().nullable().meta({ description: "Average days between days with mail; null with fewer than two" }),
    reciprocity: z.number().meta({ description: "0–1: the quieter side's share of the messages, doubled" }),
    medianReplySeconds: z.object({
      you: count.nullable().meta({ description: "The owner answering the contact in a thread" }),
      them: count.nullable().meta({ description: "The contact answering the owner" }),
    }),
    awaitingReply: z
      .object({ threads: count, newestSubject: z.string().nullable(), newestAt: nullableTimestamp })
      .nullable()
      .meta({ description: "Threads whose last message is the contact's, within 30 days, with no answer from the owner; null when none" }),
    computedAt: timestamp,
    summary: relationshipSummarySchema.nullable().meta({ description: "The last summary (POST …/relationship/summary); null before the first" }),
  })
  .meta({ id: "ContactRelationship" });

const contactParams = idParams("contact");

export const relationshipsApi = {
  list: apiOperation({
    method: "get",
    path: "/mailbox/relationships",
    tag,
    summary: "List relationships from the mailbox: the strongest, those going cold, or those awaiting your reply",
    description:
      "Recomputed for the workspace after each mailbox import and daily. `top` ranks by strength now; `cold` lists strong relationships gone quiet, by their strength before the silence; `awaiting` lists contacts whose last message in a thread (within 30 days) has no answer, by strength.",
    query: z.strictObject({
      view: z.enum(RELATIONSHIP_VIEWS).default("top").meta({ description: "top (default), cold or awaiting" }),
      limit: pageParams.limit,
      cursor: cursorParam(decodeRelationshipCursor),
    }),
    responses: { 200: { description: "A page of relationships, strongest first", schema: paged(relationshipSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/contacts/{id}/relationship",
    tag,
    summary: "A contact's relationship: its figures, awaited threads and the last summary",
    params: contactParams,
    responses: { 200: { description: "The relationship", schema: relationshipSchema } },
    errors: { 404: "No such contact in this workspace, or no mailbox history with it (the message says which)" },
  }),
  summarise: apiOperation({
    method: "post",
    path: "/contacts/{id}/relationship/summary",
    tag,
    summary: "Summarise the relationship and suggest a next action",
    description:
      "Answered before the response: by OpenAI (structured outputs) when configured and within the workspace's daily token budget, otherwise by deterministic heuristics, with a note saying why. The model is shown the relationship's figures and the subjects and snippets (≤ 200 characters, every address redacted) of the last 10 messages, never a body. An unchanged relationship answers from the stored summary (`cached`: true) without asking again.",
    params: contactParams,
    responses: { 200: { description: "The relationship with its summary", schema: z.object({ cached: z.boolean(), relationship: relationshipSchema }) } },
    errors: {
      404: "No such contact in this workspace",
      409: "No mailbox history with the contact: import a mailbox first",
      429: "`rate_limited`: the workspace asked the model 10 times in the last minute; `Retry-After` says when to try again",
    },
  }),
};
