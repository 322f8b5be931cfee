import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { applyInboxAction } from "@/db/queries/inbox-messages";
import { advanceMessageStatus, findMessageById, insertMessage } from "@/db/queries/messages";
import { createProviders } from "@/lib/providers/create-providers";
import { fromInboxProviderId } from "@/lib/providers/in-app/inbox-in-app-provider";
import { refreshMessageStatusPage } from "@/lib/webhooks/refresh-message-status-page";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { insertInboxContact } from "@/test/support/inbox";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Refresh in-app" }));
});
afterAll(() => database.close());

/** An in-app message stored in the inbox but left `sent` (a crash between recording it sent and delivered). */
async function stuckAtSent(sentAt: Date) {
  const contactId = await insertInboxContact(database.db, workspaceId);
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: randomUUID(), channel: "in_app", recipient: contactId, contactId });
  const providers = createProviders(database.db, {});
  const { providerMessageId } = await providers.inApp.send(
    { workspaceId, messageId: row.id, contactId, title: null, body: "Hi", actionUrl: null, data: {} },
    { idempotencyKey: `msg_${row.id}` },
  );
  await advanceMessageStatus(database.db, { workspaceId, messageId: row.id, to: "sent", at: sentAt, set: { provider: "inbox", providerMessageId } });
  return { messageId: row.id, contactId, inboxId: fromInboxProviderId(providerMessageId)! };
}

describe("refreshing in-app messages left at sent", () => {
  it("asks the inbox: delivered when stored, opened when already seen", async () => {
    const now = new Date();
    const stored = await stuckAtSent(new Date(now.getTime() - 60 * 60_000));
    const seen = await stuckAtSent(new Date(now.getTime() - 60 * 60_000));
    await applyInboxAction(database.db, { workspaceId, contactId: seen.contactId, action: "seen", ids: [seen.inboxId] });

    const page = await refreshMessageStatusPage(database.db, createProviders(database.db, {}), { now, pendingMinutes: 30, after: null, actor: "test" });
    expect(page).toMatchObject({ checked: 2, errors: 0 });
    expect((await findMessageById(database.db, { messageId: stored.messageId }))!.status).toBe("delivered");
    expect((await findMessageById(database.db, { messageId: seen.messageId }))!.status).toBe("opened");
  });
});
