import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { applyInboxAction, getInboxMessage } from "@/db/queries/inbox-messages";
import { insertMessage } from "@/db/queries/messages";
import { insertWorkspace } from "@/db/queries/workspaces";
import { createProviders } from "@/lib/providers/create-providers";
import { ProviderError } from "@/lib/providers/errors";
import { fromInboxProviderId, InboxInAppProvider, toInboxProviderId } from "@/lib/providers/in-app/inbox-in-app-provider";
import type { InAppMessage } from "@/lib/providers/in-app/in-app-provider";
import { createTestDatabase } from "@/test/support/database";
import { insertInboxContact } from "@/test/support/inbox";
import { sampleSum } from "@/test/support/prometheus-text";
import { metrics } from "@/lib/observability/metrics";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let contactId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await insertWorkspace(database.db, { name: "inbox provider" })).id;
  otherWorkspaceId = (await insertWorkspace(database.db, { name: "other" })).id;
  contactId = await insertInboxContact(database.db, workspaceId);
});
afterAll(() => database.close());

async function message(overrides: Partial<InAppMessage> = {}): Promise<InAppMessage> {
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: randomUUID(), channel: "in_app", recipient: contactId, contactId });
  return { workspaceId, messageId: row.id, contactId, title: "Your export is ready", body: "Download it within 7 days", actionUrl: "https://app.example.com/exports/1", data: { exportId: 1 }, ...overrides };
}

describe("InboxInAppProvider", () => {
  const provider = () => new InboxInAppProvider(database.db);

  it("stores the message in the contact's inbox, unseen and unread, and reports it delivered", async () => {
    const sent = await message({ category: "exports" });
    const result = await provider().send(sent, { idempotencyKey: `msg_${sent.messageId}` });
    expect(result.delivered).toBe(true);
    const row = await getInboxMessage(database.db, { workspaceId, id: fromInboxProviderId(result.providerMessageId)! });
    expect(row).toMatchObject({
      contactId,
      messageId: sent.messageId,
      category: "exports",
      title: "Your export is ready",
      body: "Download it within 7 days",
      actionUrl: "https://app.example.com/exports/1",
      data: { exportId: 1 },
      seenAt: null,
      readAt: null,
      archivedAt: null,
    });
  });

  it("stores a key once: a retried send answers the first row", async () => {
    const sent = await message();
    const first = await provider().send(sent, { idempotencyKey: "retry-key" });
    const again = await provider().send({ ...sent, body: "changed meanwhile" }, { idempotencyKey: "retry-key" });
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect((await getInboxMessage(database.db, { workspaceId, id: fromInboxProviderId(first.providerMessageId)! }))!.body).toBe("Download it within 7 days");
  });

  it("refuses a key already used for another message, for good", async () => {
    await provider().send(await message(), { idempotencyKey: "taken" });
    const refusal = await provider().send(await message(), { idempotencyKey: "taken" }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProviderError);
    expect(refusal).toMatchObject({ kind: "permanent", details: { provider: "inbox", code: "invalid_idempotent_request" } });
  });

  it("answers delivered, then opened once seen; null for ids it never issued or of another workspace", async () => {
    const sent = await message();
    const { providerMessageId } = await provider().send(sent, { idempotencyKey: `msg_${sent.messageId}` });
    expect(await provider().getStatus({ workspaceId, providerMessageId })).toBe("delivered");
    await applyInboxAction(database.db, { workspaceId, contactId, action: "seen", ids: [fromInboxProviderId(providerMessageId)!] });
    expect(await provider().getStatus({ workspaceId, providerMessageId })).toBe("opened");
    expect(await provider().getStatus({ workspaceId: otherWorkspaceId, providerMessageId })).toBeNull();
    expect(await provider().getStatus({ workspaceId, providerMessageId: toInboxProviderId(randomUUID()) })).toBeNull();
    expect(await provider().getStatus({ workspaceId, providerMessageId: "outbox_not-ours" })).toBeNull();
  });

  it("is built by createProviders, measured like every provider", async () => {
    const providers = createProviders(database.db, {});
    expect(providers.inApp.name).toBe("inbox");
    const before = sampleSum(await metrics().registry.metrics(), "sendline_messages_total", { channel: "in_app", provider: "inbox", status: "sent" });
    await providers.inApp.send(await message(), { idempotencyKey: randomUUID() });
    const after = sampleSum(await metrics().registry.metrics(), "sendline_messages_total", { channel: "in_app", provider: "inbox", status: "sent" });
    expect(after - before).toBe(1);
  });
});
