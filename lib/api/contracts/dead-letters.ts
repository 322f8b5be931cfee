import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { deadLettersExportQuery, deadLettersQuery, deadLettersRetryBody } from "@/lib/dead-letters/dead-letter-request";
import { deadLetterDetailSchema, deadLetterSchema } from "@/lib/dead-letters/dead-letter-view";
import { idParams, paged } from "./common";

const tag = "Dead letters";

const retried = z
  .object({
    retried: z.number().int().meta({ description: "How many dead letters were queued again by this call" }),
    messages: z.array(z.object({ id: z.uuid(), retryCount: z.number().int() })),
  })
  .meta({ id: "DeadLetterRetry" });

const queueDown = "The messages could not be queued; they are back in the dead letters: retry again";

export const deadLettersApi = {
  list: apiOperation({
    method: "get",
    path: "/dead-letters",
    tag,
    summary: "List dead letters (messages whose retries ran out), newest first",
    description:
      "A dead letter is a message Sendline gave up sending after its retries ran out (a provider outage, a channel not configured), with its last error. A message refused for good (a template that cannot render, an address the provider rejects) is a plain `failed` message, not a dead letter.",
    query: deadLettersQuery,
    responses: { 200: { description: "A page of dead letters", schema: paged(deadLetterSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/dead-letters/{id}",
    tag,
    summary: "One dead letter with its attempt history",
    params: idParams("message"),
    responses: { 200: { description: "The dead letter", schema: deadLetterDetailSchema } },
    errors: { 404: "No such dead letter in this workspace (or it was retried since)" },
  }),
  export: apiOperation({
    method: "get",
    path: "/dead-letters/export",
    tag,
    summary: "The dead letters matching the list's filters as CSV",
    description: "Columns `id,message_id,kind,channel,recipient,subject,dead_lettered_at,attempts,retries,error`; streamed, newest first; formula-like cells are escaped.",
    query: deadLettersExportQuery,
    responses: { 200: { description: "The CSV file", contentType: "text/csv" } },
  }),
  retry: apiOperation({
    method: "post",
    path: "/dead-letters/{id}/retry",
    tag,
    summary: "Queue one dead letter again",
    description:
      "Sends it at most once: the message leaves the dead letters in the same statement that queues it, so a second retry (concurrent or later) answers 409. The send reuses the message's provider idempotency key, so a message the provider had in fact accepted is not sent again (within the provider's 24-hour idempotency window).",
    params: idParams("message"),
    responses: { 202: { description: "Queued again", schema: retried } },
    errors: {
      404: "No such message in this workspace",
      409: "The message is not a dead letter (any more): already retried, sent, or a campaign message (its campaign sends it)",
      503: queueDown,
    },
  }),
  retryMatching: apiOperation({
    method: "post",
    path: "/dead-letters/retry",
    tag,
    summary: "Queue again every dead letter matching a filter, oldest first, up to `limit`",
    description:
      "Takes the list's filters in the body. Each message is queued at most once however many calls race; those another call took are skipped, so `retried` may be 0. Only transactional messages are retried. Call again while `retried` equals `limit` for the rest.",
    body: deadLettersRetryBody,
    responses: { 202: { description: "What was queued again", schema: retried } },
    errors: { 503: queueDown },
  }),
};
