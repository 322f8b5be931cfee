import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getMessage } from "@/db/queries/messages";
import { mintInboxToken } from "@/lib/inbox/inbox-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { insertInboxContact } from "@/test/support/inbox";

/**
 * An in-app notification end to end through the local engine: the API route queues it, the
 * engine runs send-notification through the app's serve() route, the inbox provider stores it,
 * and the contact's feed (with the token the customer's backend mints) shows it; marking it
 * seen sends `inbox/message.seen` to the engine, which a channel plan waits for.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let notifications: typeof import("@/app/api/v1/notifications/route");
let secretRoute: typeof import("@/app/api/v1/inbox/secret/route");
let feed: typeof import("@/app/api/inbox/messages/route");
let actions: typeof import("@/app/api/inbox/actions/route");
let database: Database;
let apiKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Inbox E2E" }));
  app = await startAppEngine();
  notifications = await import("@/app/api/v1/notifications/route");
  secretRoute = await import("@/app/api/v1/inbox/secret/route");
  feed = await import("@/app/api/inbox/messages/route");
  actions = await import("@/app/api/inbox/actions/route");
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

describe("an in-app notification through the engine", () => {
  it("lands in the contact's feed as unread, and seeing it announces inbox/message.seen and opens the message", async () => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    // The customer's backend: read the secret once, mint the contact's token.
    const { secret } = (await callRoute(secretRoute.GET, { path: "/api/v1/inbox/secret", apiKey })).body as { secret: string };
    const credentials = new URLSearchParams({ workspaceId, contactId, token: mintInboxToken(secret, contactId) });

    const queued = await callRoute(notifications.POST, {
      method: "POST",
      path: "/api/v1/notifications",
      apiKey,
      body: {
        messageId: "inbox-e2e-1",
        channel: "in_app",
        contactId,
        subject: "Order {{ order }} shipped",
        body: "It arrives on {{ day }}.",
        data: { order: 1042, day: "Tuesday", actionUrl: "https://shop.example.com/orders/1042" },
      },
    });
    expect(queued.status).toBe(202);

    const page = await waitFor(
      () => callRoute(feed.GET, { path: `/api/inbox/messages?${credentials}` }),
      (response) => response.body.data?.length > 0,
    );
    expect(page.body.counts).toEqual({ unread: 1, unseen: 1 });
    const [item] = page.body.data;
    expect(item).toMatchObject({
      messageId: queued.body.id,
      title: "Order 1042 shipped",
      body: "It arrives on Tuesday.",
      actionUrl: "https://shop.example.com/orders/1042",
      data: { order: 1042 },
      seenAt: null,
    });
    // The inbox row is written in the provider's step and the message's status in the next one,
    // so the feed can show the message a moment before the message reads "delivered".
    const delivered = await waitFor(
      () => getMessage(database.db, { workspaceId, messageId: queued.body.id }),
      (message) => message?.status === "delivered",
    );
    expect(delivered).toMatchObject({ status: "delivered", provider: "inbox", providerMessageId: `inbox_${item.id}`, subject: "Order 1042 shipped" });

    const seen = await callRoute(actions.POST, { method: "POST", path: `/api/inbox/actions?${credentials}`, body: { action: "seen", messageIds: [item.id] } });
    expect(seen.body).toMatchObject({ changed: 1, counts: { unread: 1, unseen: 0 } });
    const events = await waitFor(() => app.engine.listEvents(100, "inbox/message.seen"), (rows) => rows.length > 0);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ name: "inbox/message.seen", data: { workspaceId, contactId, messageId: queued.body.id } });
    expect((await getMessage(database.db, { workspaceId, messageId: queued.body.id }))!.status).toBe("opened");

    const read = await callRoute(actions.POST, { method: "POST", path: `/api/inbox/actions?${credentials}`, body: { action: "read", messageIds: [item.id] } });
    expect(read.body.counts).toEqual({ unread: 0, unseen: 0 });
    expect(await app.engine.listEvents(100, "inbox/message.seen")).toHaveLength(1);
  });
});
