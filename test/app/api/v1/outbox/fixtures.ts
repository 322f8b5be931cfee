import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { insertOutboxMessage, type NewOutboxMessage, type OutboxMessage } from "@/db/queries/outbox-messages";

/** One stored outbox row; `minutesAgo` sets its place in the newest-first order. */
export async function outboxRow(
  db: Db,
  workspaceId: string,
  fields: Partial<NewOutboxMessage> & { minutesAgo?: number } = {},
): Promise<OutboxMessage> {
  const { minutesAgo = 0, ...rest } = fields;
  const { row } = await insertOutboxMessage(db, {
    workspaceId,
    idempotencyKey: randomUUID(),
    channel: "email",
    from: "Sendline <hello@sendline.test>",
    to: "ada@example.com",
    subject: "Hello",
    headers: { "X-Entity-Ref-ID": "abc" },
    html: "<p>Hello</p>",
    text: "Hello",
    createdAt: new Date(Date.now() - minutesAgo * 60_000),
    ...rest,
  });
  return row;
}

export function get(url: string, apiKey?: string): Request {
  return new Request(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
}

export const noParams = { params: Promise.resolve({}) };
