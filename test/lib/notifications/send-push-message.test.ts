import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertMessage, type Message } from "@/db/queries/messages";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { listPushSubscriptions, upsertPushSubscription } from "@/db/queries/push-subscriptions";
import { contacts } from "@/db/schema";
import { sendPushMessage } from "@/lib/notifications/send-push-message";
import { ProviderError } from "@/lib/providers/errors";
import { OutboxPushProvider } from "@/lib/providers/push/outbox-push-provider";
import { pushSubscriptionExpired, type PushProvider } from "@/lib/providers/push/push-provider";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
const savedSecret = process.env.TRACKING_SECRET;

beforeAll(async () => {
  process.env.TRACKING_SECRET = "send-push-test-secret-0000000000000";
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Push" }));
});
afterAll(async () => {
  await database.close();
  if (savedSecret === undefined) delete process.env.TRACKING_SECRET;
  else process.env.TRACKING_SECRET = savedSecret;
});

const rendered = { channel: "push" as const, title: "Hello", text: "World" };

async function pushMessage(devices: ("web_push" | "fcm")[]): Promise<Message> {
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: `${randomUUID()}@example.com` }).returning();
  for (const [index, kind] of devices.entries()) {
    await upsertPushSubscription(database.db, { workspaceId, contactId: contact!.id, kind, address: `${kind}-${randomUUID()}`, p256dh: null, auth: null, label: `device ${index + 1}` });
  }
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: randomUUID(), channel: "push", recipient: contact!.id, contactId: contact!.id, request: { data: { url: "https://example.com/a" } } });
  return row;
}

/** A provider answering per device from a script, by the device's label. */
function scripted(answers: Record<string, "ok" | ProviderError>): PushProvider & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: "scripted",
    calls,
    async send(_notification, device) {
      calls.push(device.label!);
      const answer = answers[device.label!];
      if (answer instanceof ProviderError) throw answer;
      return { provider: "scripted", providerMessageId: `id-${device.label}` };
    },
  };
}

describe("sendPushMessage", () => {
  it("puts one outbox entry per device, with the service worker's payload, once per idempotency key", async () => {
    const message = await pushMessage(["web_push", "fcm"]);
    const provider = new OutboxPushProvider(database.db);
    const result = await sendPushMessage(database.db, provider, message, rendered, { idempotencyKey: "msg_1" });
    await sendPushMessage(database.db, provider, message, rendered, { idempotencyKey: "msg_1" });
    expect(result.provider).toBe("outbox");
    const outbox = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: message.id }, limit: 10 });
    expect(outbox).toHaveLength(2);
    expect(outbox.map((row) => row.to).sort()).toEqual(["FCM device device 2", "Web Push device device 1"]);
    expect(JSON.parse(outbox[0]!.headers["X-Push-Payload"]!)).toMatchObject({ title: "Hello", body: "World", url: "https://example.com/a", messageId: message.id });
    const devices = await listPushSubscriptions(database.db, { workspaceId, contactId: message.contactId! });
    expect(devices.every((device) => device.lastSentAt)).toBe(true);
  });

  it("fails with 'no push subscription' when the contact has no device", async () => {
    const message = await pushMessage([]);
    await expect(sendPushMessage(database.db, scripted({}), message, rendered, { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "permanent", message: "no push subscription" });
  });

  it("is sent when one device takes it; the expired one is removed and the transient one not retried", async () => {
    const message = await pushMessage(["web_push", "web_push", "fcm"]);
    const provider = scripted({ "device 1": pushSubscriptionExpired("scripted", 410, "gone"), "device 2": new ProviderError("503", "transient", { provider: "scripted" }), "device 3": "ok" });
    expect(await sendPushMessage(database.db, provider, message, rendered, { idempotencyKey: "k" })).toEqual({ provider: "scripted", providerMessageId: "id-device 3" });
    expect((await listPushSubscriptions(database.db, { workspaceId, contactId: message.contactId! })).map((device) => device.label)).toEqual(["device 2", "device 3"]);
  });

  it("retries (rate limit first) when no device took it and one may later; expired devices are gone for the retry", async () => {
    const message = await pushMessage(["web_push", "fcm", "fcm"]);
    const limited = new ProviderError("429", "rate-limited", { provider: "scripted", retryAfterMs: 5_000 });
    const provider = scripted({ "device 1": pushSubscriptionExpired("scripted", 404, "gone"), "device 2": new ProviderError("500", "transient", { provider: "scripted" }), "device 3": limited });
    await expect(sendPushMessage(database.db, provider, message, rendered, { idempotencyKey: "k" })).rejects.toBe(limited);
    expect(await listPushSubscriptions(database.db, { workspaceId, contactId: message.contactId! })).toHaveLength(2);
  });

  it("fails for good, naming it, when every device expired; and with the refusal when a device refused", async () => {
    const expired = await pushMessage(["web_push", "fcm"]);
    const gone = scripted({ "device 1": pushSubscriptionExpired("scripted", 410, "gone"), "device 2": pushSubscriptionExpired("scripted", 404, "gone") });
    await expect(sendPushMessage(database.db, gone, expired, rendered, { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "permanent", message: "the contact's push subscriptions expired and were removed" });

    const refused = await pushMessage(["web_push"]);
    const refusal = new ProviderError("web-push: the push service refused the message (HTTP 400)", "permanent", { provider: "web-push" });
    await expect(sendPushMessage(database.db, scripted({ "device 1": refusal }), refused, rendered, { idempotencyKey: "k" })).rejects.toBe(refusal);
    expect(await listPushSubscriptions(database.db, { workspaceId, contactId: refused.contactId! })).toHaveLength(1);
  });
});
