import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { insertWorkspace } from "@/db/queries/workspaces";
import { ProviderError } from "@/lib/providers/errors";
import { OUTBOX_DEFAULT_SMS_FROM, OutboxSmsProvider } from "@/lib/providers/sms/outbox-sms-provider";
import type { SmsMessage } from "@/lib/providers/sms/sms-provider";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await insertWorkspace(database.db, { name: "outbox sms" })).id;
});
afterAll(() => database.close());

function sms(overrides: Partial<SmsMessage> = {}): SmsMessage {
  return { workspaceId, messageId: randomUUID(), campaignId: randomUUID(), to: "+447700900123", body: "Hi Ann, your table is ready", ...overrides };
}

describe("OutboxSmsProvider", () => {
  it("stores the body as text on an sms row, with the configured sender, and counts segments", async () => {
    const provider = new OutboxSmsProvider(database.db, { from: "+15005550006" });
    const message = sms({ body: "a".repeat(200) });
    const result = await provider.send(message, { idempotencyKey: "sms/1" });

    const [row] = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: message.messageId }, limit: 10 });
    expect(row).toMatchObject({
      id: result.providerMessageId.slice("outbox_".length),
      channel: "sms",
      from: "+15005550006",
      to: message.to,
      text: message.body,
      subject: null,
      html: null,
      campaignId: message.campaignId,
    });
    expect(result.segments).toBe(2);
  });

  it("prefers the message's own sender and falls back to a default", async () => {
    const provider = new OutboxSmsProvider(database.db);
    const own = sms({ from: "+15005550001" });
    const none = sms();
    await provider.send(own, { idempotencyKey: "own-from" });
    await provider.send(none, { idempotencyKey: "no-from" });

    const rows = await listOutboxMessages(database.db, { workspaceId, limit: 100 });
    expect(rows.find((r) => r.messageId === own.messageId)!.from).toBe("+15005550001");
    expect(rows.find((r) => r.messageId === none.messageId)!.from).toBe(OUTBOX_DEFAULT_SMS_FROM);
  });

  it("stores once per idempotency key and returns the same provider id", async () => {
    const provider = new OutboxSmsProvider(database.db);
    const message = sms();
    const first = await provider.send(message, { idempotencyKey: "sms/twice" });
    const again = await provider.send(message, { idempotencyKey: "sms/twice" });

    expect(again).toEqual(first);
    expect(await listOutboxMessages(database.db, { workspaceId, filter: { messageId: message.messageId }, limit: 10 })).toHaveLength(1);
  });

  it("refuses a key already used for a different recipient", async () => {
    const provider = new OutboxSmsProvider(database.db);
    await provider.send(sms(), { idempotencyKey: "sms/reused" });
    const error = await provider.send(sms({ to: "+447700900999" }), { idempotencyKey: "sms/reused" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "permanent", details: { code: "invalid_idempotent_request" } });
  });

  it("reports a stored SMS as delivered", async () => {
    const provider = new OutboxSmsProvider(database.db);
    const { providerMessageId } = await provider.send(sms(), { idempotencyKey: "sms/status" });
    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("delivered");
    expect(await provider.getStatus({ workspaceId, providerMessageId: "SMabc" })).toBeNull();
  });
});
