import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { apiOperation } from "@/lib/api/api-operation";
import { listQuery } from "@/lib/api/list-query";
import { outboxFilterFields } from "@/lib/outbox/outbox-filter";
import { idParams, paged, timestamp } from "./common";

const tag = "Outbox";

export const outboxMessageSchema = z
  .object({
    id: z.uuid(),
    messageId: z.uuid().nullable(),
    campaignId: z.uuid().nullable(),
    channel: z.enum(CHANNELS),
    from: z.string(),
    to: z.string(),
    replyTo: z.string().nullable(),
    subject: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    html: z.string().nullable(),
    text: z.string().nullable(),
    idempotencyKey: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: "OutboxMessage", description: "What the local provider received in place of Resend or Twilio" });

export const outboxApi = {
  list: apiOperation({
    method: "get",
    path: "/outbox",
    tag,
    summary: "What the local provider “sent”, newest first",
    query: listQuery(outboxFilterFields),
    responses: { 200: { description: "A page of outbox messages", schema: paged(outboxMessageSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/outbox/{id}",
    tag,
    summary: "One outbox message",
    params: idParams("outbox message"),
    responses: { 200: { description: "The message", schema: outboxMessageSchema } },
    errors: { 404: "No such outbox message in this workspace" },
  }),
};
