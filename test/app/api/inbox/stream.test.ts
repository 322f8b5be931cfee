import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { applyInboxAction } from "@/db/queries/inbox-messages";
import { InboxChangeReader } from "@/lib/inbox/inbox-change-reader";
import { inboxEventStream } from "@/lib/inbox/inbox-event-stream";
import { inboxSecretOf } from "@/lib/inbox/inbox-secret";
import { mintInboxToken } from "@/lib/inbox/inbox-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { deliverToInbox, insertInboxContact } from "@/test/support/inbox";

const stream = await import("@/app/api/inbox/stream/route");

let database: Database;
let workspaceId: string;
let secret: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Stream" }));
  ({ secret } = await inboxSecretOf(database.db, workspaceId));
});
afterAll(() => database.close());

type ServerSentEvent = { event: string; id?: string; data: Record<string, unknown> };

/** Reads server-sent events off a response body as an EventSource would, one block at a time. */
function eventsOf(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return async function next(): Promise<ServerSentEvent> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split("\n").filter((line) => !line.startsWith(":")).map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
        if (!fields.event) continue; // retry:, heartbeats
        return { event: fields.event, id: fields.id, data: JSON.parse(fields.data ?? "null") };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      buffer += value;
    }
  };
}

function open(contactId: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const query = new URLSearchParams({ workspaceId, contactId, token: mintInboxToken(secret, contactId) });
  const request = new Request(`http://localhost/api/inbox/stream?${query}`, { signal: controller.signal, headers });
  return { response: stream.GET(request), close: () => controller.abort() };
}

describe("the live stream", () => {
  it("sends each new message and state change as it happens, each followed by the new counts", async () => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    await deliverToInbox(database.db, { workspaceId, contactId, body: "before the stream" });
    const opened = open(contactId);
    const response = await opened.response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const next = eventsOf(response);
    try {
      // The first poll looks a few seconds back, so the message delivered just before comes too.
      const first = [await next(), await next()];
      expect(first).toEqual(expect.arrayContaining([
        { event: "counts", data: { unread: 1, unseen: 1 } },
        expect.objectContaining({ event: "message", data: expect.objectContaining({ body: "before the stream" }) }),
      ]));

      const { inboxId } = await deliverToInbox(database.db, { workspaceId, contactId, title: "Live", body: "arrived while open" });
      const live = await next();
      expect(live).toMatchObject({ event: "message", data: { id: inboxId, title: "Live", body: "arrived while open", readAt: null } });
      expect(live.id).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await next()).toEqual({ event: "counts", data: { unread: 2, unseen: 2 } });

      await applyInboxAction(database.db, { workspaceId, contactId, action: "read", ids: [inboxId] });
      const change = await next();
      expect(change).toMatchObject({ event: "message", data: { id: inboxId } });
      expect(change.data.readAt).not.toBeNull();
      expect(await next()).toEqual({ event: "counts", data: { unread: 1, unseen: 1 } });
    } finally {
      opened.close();
    }
  });

  it("resumes from Last-Event-ID without what came before it", async () => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    await deliverToInbox(database.db, { workspaceId, contactId, body: "old" });
    const resumeAt = new Date(Date.now() + 10_000).toISOString(); // after the lookback window covers "old"
    const opened = open(contactId, { "last-event-id": resumeAt });
    const next = eventsOf(await opened.response);
    try {
      expect(await next()).toEqual({ event: "counts", data: { unread: 1, unseen: 1 } });
    } finally {
      opened.close();
    }
  });

  it("ends after its time is up (the EventSource reconnects) and when the client goes away", async () => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    const principal = { workspaceId, contactId };
    const timed = inboxEventStream(await InboxChangeReader.start(database.db, principal), { signal: new AbortController().signal, pollMs: 50, maxMs: 300 });
    const text = await new Response(timed).text();
    expect(text).toMatch(/^retry: \d+\n\n/);
    expect(text).toContain('event: counts\ndata: {"unread":0,"unseen":0}');

    const controller = new AbortController();
    const aborted = inboxEventStream(await InboxChangeReader.start(database.db, principal), { signal: controller.signal, pollMs: 50, maxMs: 60_000 });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await new Response(aborted).text();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
