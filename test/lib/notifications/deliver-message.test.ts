import { sql } from "drizzle-orm";
import { createProviders } from "@/lib/providers/create-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { findMessageById, insertMessage } from "@/db/queries/messages";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { suppress } from "@/db/queries/suppressions";
import { insertTemplate } from "@/db/queries/templates";
import { deliverMessage, type Providers } from "@/lib/notifications/deliver-message";
import { UndeliverableError } from "@/lib/notifications/prepare-message";
import { ProviderError } from "@/lib/providers/errors";
import { applySmsKeyword } from "@/lib/webhooks/apply-sms-keyword";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { listMessageEngagement } from "@/db/queries/engagement-events";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let providers: Providers;
let n = 0;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Deliver" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
  providers = createProviders(database.db, {});
});
afterAll(() => database.close());

/** A queued notification, as POST /api/v1/notifications leaves it. */
async function queued(fields: { channel?: "email" | "sms"; recipient?: string; subject?: string; body?: string; data?: Record<string, unknown>; contactId?: string; templateId?: string } = {}) {
  const { row } = await insertMessage(database.db, {
    workspaceId,
    idempotencyKey: `message-${++n}`,
    channel: fields.channel ?? "email",
    recipient: fields.recipient ?? `r${n}@example.com`,
    contactId: fields.contactId ?? null,
    templateId: fields.templateId ?? null,
    request: fields.templateId ? { data: fields.data ?? {} } : { subject: fields.subject ?? (fields.channel === "sms" ? undefined : "Hello {{ name }}"), body: fields.body ?? "Hi {{ name }}", data: fields.data ?? { name: "Ann" } },
  });
  return row;
}
const deliver = (messageId: string, using: Providers = providers, ws = workspaceId) => deliverMessage(database.db, using, { workspaceId: ws, messageId });
const outboxOf = (messageId: string) => listOutboxMessages(database.db, { workspaceId, filter: { messageId }, limit: 10 });
const reload = async (messageId: string) => (await findMessageById(database.db, { messageId }))!;

describe("deliverMessage", () => {
  it("sends a queued message once; a second call (a retry, a replay) sends nothing", async () => {
    const message = await queued();
    expect(await deliver(message.id)).toEqual({ outcome: "sent", providerMessageId: expect.any(String) });
    expect(await deliver(message.id)).toEqual({ outcome: "skipped", status: "sent" });
    expect(await outboxOf(message.id)).toHaveLength(1);
    expect(await reload(message.id)).toMatchObject({ status: "sent", subject: "Hello Ann", provider: "outbox" });
    const facts = await listMessageEngagement(database.db, { workspaceId, messageId: message.id });
    expect(facts.map((event) => [event.type, event.source])).toEqual([["sent", "send"]]);
  });

  it("checks suppression at send time: an address suppressed after the message was queued gets nothing", async () => {
    const message = await queued({ recipient: "late-bounce@example.com" });
    await suppress(database.db, { workspaceId, channel: "email", address: "late-bounce@example.com", reason: "hard_bounce" });
    expect(await deliver(message.id)).toEqual({ outcome: "suppressed" });
    expect(await outboxOf(message.id)).toEqual([]);
    expect(await reload(message.id)).toMatchObject({ status: "suppressed", error: "Recipient is on the suppression list" });
  });

  it("checks an SMS opt-out at send time: a STOP after the message was queued blocks it", async () => {
    const message = await queued({ channel: "sms", recipient: "+14155550199", body: "Your code is {{ code }}", data: { code: "123" } });
    // The number texted STOP to a number of ours this workspace used before.
    await insertMessage(database.db, { workspaceId, idempotencyKey: `earlier-${n}`, channel: "sms", recipient: "+14155550199", request: { data: {} } });
    await applySmsKeyword(database.db, { phone: "+14155550199", keyword: { kind: "opt-out", word: "STOP" }, messageSid: "SMstop", at: new Date(), actor: "test" });
    expect(await deliver(message.id)).toEqual({ outcome: "suppressed" });
    expect(await outboxOf(message.id)).toEqual([]);
  });

  it("still sends a transactional email to a contact who unsubscribed from campaigns (marketing consent is not a suppression)", async () => {
    const written = await upsertContactByEmail(database.db, { workspaceId, changes: { email: "receipt@example.com", firstName: "Bo" } });
    if (!written.ok) throw new Error("contact not written");
    const message = await queued({ recipient: "receipt@example.com", contactId: written.contact.id, body: "Receipt for {{ contact.first_name }}" });
    await database.db.execute(sql`update contacts set status = 'unsubscribed', unsubscribed_at = now() where id = ${written.contact.id}::uuid`);
    expect(await deliver(message.id)).toMatchObject({ outcome: "sent" });
  });

  it("fails a message whose template cannot render, naming the variable, without sending", async () => {
    const template = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "receipt", subject: "Order {{ order.id }}", body: "<p>{{ order.total }}</p>" }))!;
    const message = await queued({ templateId: template.id, data: { order: { id: 7 } } });
    expect(await deliver(message.id)).toEqual({ outcome: "failed", error: "template variable `order.total` is undefined in the body, line 1" });
    expect(await reload(message.id)).toMatchObject({ status: "failed", error: "template variable `order.total` is undefined in the body, line 1" });
    expect(await outboxOf(message.id)).toEqual([]);
  });

  it("fails on a provider's refusal with its reason, and leaves an outage to the retry", async () => {
    const refusing: Providers = { ...providers, email: { ...providers.email, name: "outbox", send: async () => { throw new ProviderError("resend: The example.com domain is not verified", "permanent", { provider: "resend", status: 403 }); } } };
    const refused = await queued();
    expect(await deliver(refused.id, refusing)).toEqual({ outcome: "failed", error: "resend: The example.com domain is not verified" });

    const down: Providers = { ...providers, email: { ...providers.email, name: "outbox", send: async () => { throw new ProviderError("resend: 503", "transient", { provider: "resend", status: 503 }); } } };
    const waiting = await queued();
    await expect(deliver(waiting.id, down)).rejects.toThrow(ProviderError);
    expect((await reload(waiting.id)).status).toBe("sending");
    // The retry sends it, once.
    expect(await deliver(waiting.id)).toMatchObject({ outcome: "sent" });
    expect(await outboxOf(waiting.id)).toHaveLength(1);
  });

  it("refuses a message of another workspace as undeliverable (the event is not trusted for the workspace)", async () => {
    const message = await queued();
    await expect(deliver(message.id, providers, otherWorkspaceId)).rejects.toThrow(UndeliverableError);
    expect((await reload(message.id)).status).toBe("queued");
  });

  it("sends a templated message with the subject and sender kept on it (a journey's A/B variant) instead of the template's and the workspace's", async () => {
    const template = await insertTemplate(database.db, { workspaceId, channel: "email", name: "override", subject: "Template subject", body: "<p>Hi {{ name }}</p>" });
    const { row: message } = await insertMessage(database.db, {
      workspaceId,
      idempotencyKey: `message-${++n}`,
      channel: "email",
      recipient: `r${n}@example.com`,
      templateId: template!.id,
      request: { subject: "Variant B for {{ name }}", from: "Growth <growth@example.com>", data: { name: "Ann" } },
    });
    expect(await deliver(message.id)).toMatchObject({ outcome: "sent" });
    expect(await outboxOf(message.id)).toEqual([expect.objectContaining({ subject: "Variant B for Ann", from: "Growth <growth@example.com>" })]);
  });
});
