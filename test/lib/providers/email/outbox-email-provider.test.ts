import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { insertWorkspace } from "@/db/queries/workspaces";
import type { EmailMessage } from "@/lib/providers/email/email-provider";
import { OutboxEmailProvider } from "@/lib/providers/email/outbox-email-provider";
import { ProviderError } from "@/lib/providers/errors";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let provider: OutboxEmailProvider;
let workspaceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  provider = new OutboxEmailProvider(database.db);
  workspaceId = (await insertWorkspace(database.db, { name: "outbox email" })).id;
});
afterAll(() => database.close());

function email(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    workspaceId,
    messageId: randomUUID(),
    campaignId: randomUUID(),
    from: "Sendline <hello@sendline.test>",
    to: "ann@example.com",
    replyTo: "support@sendline.test",
    subject: "Welcome, Ann",
    html: "<p>Hello <b>Ann</b></p>",
    text: "Hello Ann",
    headers: { "List-Unsubscribe": "<https://sendline.test/u/token>" },
    ...overrides,
  };
}

async function stored(filter: { messageId?: string; campaignId?: string }) {
  return listOutboxMessages(database.db, { workspaceId, filter, limit: 1000 });
}

describe("OutboxEmailProvider.send", () => {
  it("stores the fully rendered message and returns an outbox_<uuid> provider id", async () => {
    const message = email();
    const { providerMessageId } = await provider.send(message, { idempotencyKey: `notification:${message.messageId}` });

    expect(providerMessageId).toMatch(/^outbox_[0-9a-f-]{36}$/);
    const [row] = await stored({ messageId: message.messageId });
    expect(row).toMatchObject({
      id: providerMessageId.slice("outbox_".length),
      channel: "email",
      idempotencyKey: `notification:${message.messageId}`,
      messageId: message.messageId,
      campaignId: message.campaignId,
      from: message.from,
      to: message.to,
      replyTo: message.replyTo,
      subject: message.subject,
      headers: message.headers,
      html: message.html,
      text: message.text,
    });
  });

  it("stores a message once per idempotency key and returns the same provider id every time", async () => {
    const message = email();
    const first = await provider.send(message, { idempotencyKey: "same-key" });
    const again = await provider.send(message, { idempotencyKey: "same-key" });
    const concurrent = await Promise.all([1, 2, 3].map(() => provider.send(message, { idempotencyKey: "same-key" })));

    expect(again).toEqual(first);
    expect(concurrent).toEqual([first, first, first]);
    expect(await stored({ messageId: message.messageId })).toHaveLength(1);
  });

  it("refuses a reused key that carries a different message, like Resend's 409", async () => {
    await provider.send(email(), { idempotencyKey: "reused-key" });
    const error = await provider.send(email({ to: "bob@example.com" }), { idempotencyKey: "reused-key" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "permanent", details: { provider: "outbox", code: "invalid_idempotent_request" } });
  });
});

describe("OutboxEmailProvider.sendBatch", () => {
  it("stores every message under `${batchKey}:${messageId}` and answers one slot per message, in order", async () => {
    const campaignId = randomUUID();
    const messages = [1, 2, 3].map((n) => email({ campaignId, to: `reader${n}@example.com` }));
    const results = await provider.sendBatch(messages, { idempotencyKey: "campaign-part-1" });

    const rows = await stored({ campaignId });
    expect(rows).toHaveLength(3);
    expect(results).toHaveLength(3);
    messages.forEach((message, index) => {
      const row = rows.find((r) => r.messageId === message.messageId)!;
      expect(row.idempotencyKey).toBe(`campaign-part-1:${message.messageId}`);
      expect(row.to).toBe(message.to);
      expect(results[index]).toEqual({ ok: true, providerMessageId: `outbox_${row.id}`, provider: "outbox" });
    });
  });

  it("stores nothing twice when a part is retried, even rebuilt in another order", async () => {
    const campaignId = randomUUID();
    const messages = [1, 2, 3, 4].map((n) => email({ campaignId, to: `retry${n}@example.com` }));
    const first = await provider.sendBatch(messages, { idempotencyKey: "part-retried" });
    const retried = await provider.sendBatch([...messages].reverse(), { idempotencyKey: "part-retried" });

    expect(retried).toEqual([...first].reverse());
    expect(await stored({ campaignId })).toHaveLength(4);
  });

  it("stores none of a batch whose transaction fails part-way", async () => {
    const campaignId = randomUUID();
    const good = email({ campaignId });
    const bad = email({ campaignId, messageId: "not-a-uuid" });

    await expect(provider.sendBatch([good, bad], { idempotencyKey: "atomic-part" })).rejects.toThrow();
    expect(await stored({ campaignId })).toHaveLength(0);
  });

  it("answers an empty batch without touching the database", async () => {
    expect(await provider.sendBatch([], { idempotencyKey: "empty" })).toEqual([]);
  });
});

describe("OutboxEmailProvider.getStatus", () => {
  it("reports a stored message as delivered, and knows nothing of other ids or workspaces", async () => {
    const { providerMessageId } = await provider.send(email(), { idempotencyKey: "status-key" });
    const other = await insertWorkspace(database.db, { name: "someone else" });

    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("delivered");
    expect(await provider.getStatus({ workspaceId: other.id, providerMessageId })).toBeNull();
    expect(await provider.getStatus({ workspaceId, providerMessageId: `outbox_${randomUUID()}` })).toBeNull();
    expect(await provider.getStatus({ workspaceId, providerMessageId: "re_123" })).toBeNull();
  });
});
