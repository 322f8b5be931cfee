import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { getMessage } from "@/db/queries/messages";
import { encodeCursor } from "@/core/pagination/cursor";
import { inboxSecretOf } from "@/lib/inbox/inbox-secret";
import { mintInboxToken } from "@/lib/inbox/inbox-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { deliverToInbox, insertInboxContact } from "@/test/support/inbox";

// The actions route announces seen messages to an Inngest server; a loopback recorder plays it.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const feed = await import("@/app/api/inbox/messages/route");
const counts = await import("@/app/api/inbox/counts/route");
const actions = await import("@/app/api/inbox/actions/route");
const stream = await import("@/app/api/inbox/stream/route");

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let secret: string;
let otherSecret: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Inbox" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
  ({ secret } = await inboxSecretOf(database.db, workspaceId));
  ({ secret: otherSecret } = await inboxSecretOf(database.db, otherWorkspaceId));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

type Who = { workspaceId: string; contactId: string; token: string };
const as = (contactId: string, overrides: Partial<Who> = {}): Who => ({ workspaceId, contactId, token: mintInboxToken(secret, contactId), ...overrides });
const qs = (who: Who, extra: Record<string, string> = {}) => new URLSearchParams({ ...who, ...extra }).toString();

const getFeed = (who: Who, extra: Record<string, string> = {}) => callRoute(feed.GET, { path: `/api/inbox/messages?${qs(who, extra)}` });
const getCounts = (who: Who) => callRoute(counts.GET, { path: `/api/inbox/counts?${qs(who)}` });
const act = (who: Who, body: unknown) => callRoute(actions.POST, { method: "POST", path: `/api/inbox/actions?${qs(who)}`, body });

async function contactWith(n: number) {
  const contactId = await insertInboxContact(database.db, workspaceId);
  const delivered: { messageId: string; inboxId: string }[] = [];
  for (let i = 1; i <= n; i++) {
    await new Promise((resolve) => setTimeout(resolve, 3));
    delivered.push(await deliverToInbox(database.db, { workspaceId, contactId, title: `Title ${i}`, body: `Body ${i}`, actionUrl: "https://app.example.com/x", data: { i } }));
  }
  return { contactId, delivered };
}

describe("authorisation", () => {
  it("answers 401 to every way of holding the wrong token, on every route", async () => {
    const { contactId } = await contactWith(1);
    const { contactId: otherContactId } = await contactWith(1);
    const otherWorkspaceContact = await insertInboxContact(database.db, otherWorkspaceId);
    const wrong: [string, Who][] = [
      ["another contact's token", as(contactId, { token: mintInboxToken(secret, otherContactId) })],
      ["a token from another workspace's secret", as(contactId, { token: mintInboxToken(otherSecret, contactId) })],
      ["a valid token shown to another workspace", { workspaceId: otherWorkspaceId, contactId, token: mintInboxToken(secret, contactId) }],
      ["another workspace's contact under this workspace", as(otherWorkspaceContact, { token: mintInboxToken(otherSecret, otherWorkspaceContact) })],
      ["garbage", as(contactId, { token: "not-a-token" })],
      ["no token", as(contactId, { token: "" })],
      ["a malformed workspace id", as(contactId, { workspaceId: "acme" })],
      ["a workspace that does not exist", as(contactId, { workspaceId: randomUUID() })],
    ];
    for (const [why, who] of wrong) {
      for (const call of [getFeed(who), getCounts(who), act(who, { action: "read" }), callRoute(stream.GET, { path: `/api/inbox/stream?${qs(who)}` })]) {
        const response = await call;
        expect(response.status, why).toBe(401);
        expect(response.body.error.code).toBe("unauthorized");
        expect(response.response.headers.get("access-control-allow-origin")).toBe("*");
      }
    }
    expect(recorder.events).toHaveLength(0);
  });

  it("answers a preflight from any origin", async () => {
    const response = await feed.OPTIONS();
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("the feed", () => {
  it("shows the contact's messages newest first with counts, a page at a time", async () => {
    const { contactId } = await contactWith(3);
    const first = await getFeed(as(contactId), { limit: "2" });
    expect(first.status).toBe(200);
    expect(first.body.data.map((m: { title: string }) => m.title)).toEqual(["Title 3", "Title 2"]);
    expect(first.body.data[0]).toMatchObject({ body: "Body 3", actionUrl: "https://app.example.com/x", data: { i: 3 }, seenAt: null, readAt: null, archivedAt: null });
    expect(first.body.counts).toEqual({ unread: 3, unseen: 3 });
    const second = await getFeed(as(contactId), { limit: "2", cursor: first.body.nextCursor });
    expect(second.body.data.map((m: { title: string }) => m.title)).toEqual(["Title 1"]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ["a cursor that is not one", { cursor: "not-a-cursor" }, "cursor"],
    ["a forged cursor", { cursor: encodeCursor({ at: new Date(), id: "x" as never }) }, "cursor"],
    ["an unknown view", { view: "spam" }, "view"],
    ["a limit past 100", { limit: "500" }, "limit"],
    ["an unknown parameter", { sort: "asc" }, "sort"],
  ])("answers 400 to %s, naming the field", async (_, extra, field) => {
    const { contactId } = await contactWith(0);
    const response = await getFeed(as(contactId), extra as Record<string, string>);
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toEqual([field]);
  });
});

describe("actions", () => {
  it("marks one seen, announces it once, and moves its message to opened", async () => {
    recorder.events.length = 0;
    const { contactId, delivered } = await contactWith(2);
    const [first] = delivered as [{ messageId: string; inboxId: string }];
    const seen = await act(as(contactId), { action: "seen", messageIds: [first.inboxId] });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ changed: 1, counts: { unread: 2, unseen: 1 } });
    expect(recorder.events).toEqual([
      expect.objectContaining({ name: "inbox/message.seen", id: `inbox-seen-${first.messageId}`, data: { workspaceId, contactId, messageId: first.messageId } }),
    ]);
    expect((await getMessage(database.db, { workspaceId, messageId: first.messageId }))!.status).toBe("opened");

    // Seen again, or read (which implies seen): nothing new to announce for it.
    await act(as(contactId), { action: "seen", messageIds: [first.inboxId] });
    await act(as(contactId), { action: "read", messageIds: [first.inboxId] });
    expect(recorder.events).toHaveLength(1);
    expect((await getCounts(as(contactId))).body).toEqual({ unread: 1, unseen: 1 });
    // The first sighting is in the engagement stream once, as the in-app open.
    expect((await listMessageEngagement(database.db, { workspaceId, messageId: first.messageId })).map((event) => [event.type, event.source, event.firstOpen])).toEqual([
      ["seen", "inbox", true],
    ]);
  });

  it("reads all, announcing exactly the messages not seen before, then unread, archive and unarchive", async () => {
    recorder.events.length = 0;
    const { contactId, delivered } = await contactWith(3);
    await act(as(contactId), { action: "seen", messageIds: [delivered[0]!.inboxId] });
    const readAll = await act(as(contactId), { action: "read" });
    expect(readAll.body).toMatchObject({ changed: 3, counts: { unread: 0, unseen: 0 } });
    expect(recorder.events.map((event) => event.data.messageId).sort()).toEqual(delivered.map((d) => d.messageId).sort());

    expect((await act(as(contactId), { action: "unread", messageIds: [delivered[1]!.inboxId] })).body.counts).toEqual({ unread: 1, unseen: 0 });
    expect((await act(as(contactId), { action: "archive", messageIds: [delivered[1]!.inboxId] })).body.counts).toEqual({ unread: 0, unseen: 0 });
    expect((await getFeed(as(contactId), { view: "archived" })).body.data.map((m: { id: string }) => m.id)).toEqual([delivered[1]!.inboxId]);
    expect((await act(as(contactId), { action: "unarchive" })).body).toMatchObject({ changed: 1, counts: { unread: 1, unseen: 0 } });
  });

  it("changes nothing of another contact's, even given its ids", async () => {
    const { delivered } = await contactWith(1);
    const { contactId } = await contactWith(0);
    const response = await act(as(contactId), { action: "read", messageIds: [delivered[0]!.inboxId] });
    expect(response.body).toMatchObject({ changed: 0, data: [] });
    expect((await getMessage(database.db, { workspaceId, messageId: delivered[0]!.messageId }))!.status).toBe("delivered");
  });

  it("writes nothing when the seen event cannot be sent, so the retry announces it", async () => {
    recorder.events.length = 0;
    const { contactId, delivered } = await contactWith(1);
    recorder.failNext(10);
    const failed = await act(as(contactId), { action: "read" });
    expect(failed.status).toBe(503);
    expect((await getCounts(as(contactId))).body).toEqual({ unread: 1, unseen: 1 });
    recorder.failNext(0);
    expect((await act(as(contactId), { action: "read" })).body.changed).toBe(1);
    expect(recorder.events.map((event) => event.data.messageId)).toEqual([delivered[0]!.messageId]);
  });

  it.each([
    ["an unknown action", { action: "delete" }, "action"],
    ["an id that is not one", { action: "read", messageIds: ["x"] }, "messageIds.0"],
    ["an empty id list", { action: "read", messageIds: [] }, "messageIds"],
    ["an unknown field", { action: "read", all: true }, "all"],
  ])("answers 400 to %s", async (_, body, field) => {
    const { contactId } = await contactWith(0);
    const response = await act(as(contactId), body);
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toEqual([field]);
  });
});
