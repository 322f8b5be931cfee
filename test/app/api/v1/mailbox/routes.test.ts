import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts } from "@/db/schema";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { importMailboxPage } from "@/lib/mailbox/import-mailbox-page";
import { MAILBOX_MAX_FILE_BYTES } from "@/core/mailbox/mailbox-limits";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { fixtures, mbox, OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";

const env = await setUpImportEnvironment();
const importsRoute = await import("@/app/api/v1/mailbox/imports/route");
const connectionsRoute = await import("@/app/api/v1/mailbox/connections/route");
const connectionRoute = await import("@/app/api/v1/mailbox/connections/[id]/route");
const pauseRoute = await import("@/app/api/v1/mailbox/connections/[id]/pause/route");
const resumeRoute = await import("@/app/api/v1/mailbox/connections/[id]/resume/route");
const messagesRoute = await import("@/app/api/v1/mailbox/messages/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Mailbox API" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  await env.tearDown();
});

async function upload(parts: Record<string, string | { bytes: string | Buffer; name: string }>, key: string | null = apiKey, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === "string") form.append(name, part);
    else form.append(name, new Blob([typeof part.bytes === "string" ? part.bytes : new Uint8Array(part.bytes)]), part.name);
  }
  const request = new Request("http://localhost/api/v1/mailbox/imports", { method: "POST", headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, body: form });
  const response = await importsRoute.POST(request, { params: Promise.resolve({}) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

const sample = () => Buffer.from(mbox([fixtures.threadStart, fixtures.threadReply, fixtures.threadReply2, fixtures.newsletter]), "latin1");

describe("POST /api/v1/mailbox/imports", () => {
  it("201: stores the file, creates an import connection and queues its run", async () => {
    const { status, body } = await upload({ file: { bytes: sample(), name: "takeout.mbox" }, ownerAddresses: `${OWNER}, Second@Sendline.test` });
    expect(status).toBe(201);
    expect(body).toMatchObject({ kind: "import", status: "active", label: "takeout.mbox", ownerAddresses: [OWNER, "second@sendline.test"], done: false });
    const sent = env.recorder.events.filter((event) => event.name === "mailbox/import.requested");
    expect(sent.at(-1)).toMatchObject({ id: `mailbox-import-${body.id}`, data: { workspaceId, connectionId: body.id } });
  });

  it.each([
    ["no file", {}, { file: ["is required"] }],
    ["an empty file", { file: { bytes: "", name: "x.mbox" } }, { file: ["is empty"] }],
    ["a bad owner address", { file: { bytes: sample(), name: "x.mbox" }, ownerAddresses: "not-an-address" }, { ownerAddresses: [expect.stringContaining("not-an-address")] }],
    ["an unknown field", { file: { bytes: sample(), name: "x.mbox" }, folder: "x" }, { folder: [expect.any(String)] }],
  ])("400 for %s, naming the field", async (_name, parts, fields) => {
    const { status, body } = await upload(parts as never);
    expect(status).toBe(400);
    expect(body.error.fields).toMatchObject(fields);
  });

  it("413 when the declared size is over the limit", async () => {
    const { status, body } = await upload({ file: { bytes: "x", name: "x.mbox" } }, apiKey, { "content-length": String(MAILBOX_MAX_FILE_BYTES + 2 * 1024 * 1024) });
    expect(status).toBe(413);
    expect(body.error.code).toBe("file_too_large");
  });

  it("401 without an API key", async () => {
    expect((await upload({ file: { bytes: sample(), name: "x.mbox" } }, null)).status).toBe(401);
  });
});

describe("connections and messages", () => {
  it("shows progress, pauses, resumes and disconnects; another workspace gets 404", async () => {
    const { body: created } = await upload({ file: { bytes: sample(), name: "flow.mbox" }, ownerAddresses: OWNER });
    const id = created.id as string;
    const path = `/api/v1/mailbox/connections/${id}`;
    await importMailboxPage(database.db, createFileStorage(), { workspaceId, connectionId: id });

    const one = await callRoute(connectionRoute.GET, { path, apiKey, params: { id } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ done: true, progress: { messagesSeen: 4, messagesStored: 4, messagesSkipped: 0, contactsCreated: 1 } });
    expect((await callRoute(connectionsRoute.GET, { path: "/api/v1/mailbox/connections", apiKey })).body.data.map((c: { id: string }) => c.id)).toContain(id);

    expect((await callRoute(connectionRoute.GET, { path, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await callRoute(pauseRoute.POST, { method: "POST", path: `${path}/pause`, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await callRoute(connectionRoute.DELETE, { method: "DELETE", path, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await callRoute(connectionsRoute.GET, { path: "/api/v1/mailbox/connections", apiKey: otherKey })).body.data).toEqual([]);

    const paused = await callRoute(pauseRoute.POST, { method: "POST", path: `${path}/pause`, apiKey, params: { id } });
    expect(paused.body.status).toBe("paused");
    expect((await callRoute(pauseRoute.POST, { method: "POST", path: `${path}/pause`, apiKey, params: { id } })).status).toBe(409);
    const resumed = await callRoute(resumeRoute.POST, { method: "POST", path: `${path}/resume`, apiKey, params: { id } });
    expect(resumed.body.status).toBe("active");
    const gone = await callRoute(connectionRoute.DELETE, { method: "DELETE", path, apiKey, params: { id } });
    expect(gone.body).toMatchObject({ status: "disconnected" });
    expect((await callRoute(resumeRoute.POST, { method: "POST", path: `${path}/resume`, apiKey, params: { id } })).status).toBe(409);

    const [ann] = await database.db.select().from(contacts).where((await import("drizzle-orm")).eq(contacts.email, "ann@acme.example"));
    const exchanged = await callRoute(messagesRoute.GET, { path: `/api/v1/mailbox/messages?contactId=${ann!.id}`, apiKey });
    expect(exchanged.body.data.map((m: { messageId: string }) => m.messageId).sort()).toEqual(["thread-1@acme.example", "thread-2@sendline.test", "thread-3@acme.example"]);
    expect((await callRoute(messagesRoute.GET, { path: `/api/v1/mailbox/messages?contactId=${ann!.id}`, apiKey: otherKey })).status).toBe(404);
    const paged = await callRoute(messagesRoute.GET, { path: `/api/v1/mailbox/messages?connectionId=${id}&limit=3`, apiKey });
    expect(paged.body.data).toHaveLength(3);
    const next = await callRoute(messagesRoute.GET, { path: `/api/v1/mailbox/messages?connectionId=${id}&limit=3&cursor=${paged.body.nextCursor}`, apiKey });
    expect(next.body).toMatchObject({ data: [expect.any(Object)], nextCursor: null });
    expect([...paged.body.data, ...next.body.data].filter((m: { automated: boolean }) => m.automated)).toHaveLength(1);
  });
});

