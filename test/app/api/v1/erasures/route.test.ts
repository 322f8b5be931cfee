import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const contactsRoute = await import("@/app/api/v1/contacts/route");
const contactRoute = await import("@/app/api/v1/contacts/[id]/route");
const erasures = await import("@/app/api/v1/erasures/route");
const erasure = await import("@/app/api/v1/erasures/[id]/route");
const restore = await import("@/app/api/v1/erasures/[id]/restore/route");
const resend = await import("@/app/api/v1/erasures/[id]/recovery-email/route");
const workspaceRoute = await import("@/app/api/v1/workspace/route");
const segmentsRoute = await import("@/app/api/v1/segments/route");
const listsRoute = await import("@/app/api/v1/lists/route");

let database: Database;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey } = await createWorkspace(database.db, { name: "Erasing" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const contact = async (email: string, key = apiKey) => (await callRoute(contactsRoute.POST, { method: "POST", path: "/api/v1/contacts", apiKey: key, body: { email } })).body.id as string;
const erase = (id: string, key = apiKey) => callRoute(contactRoute.DELETE, { method: "DELETE", path: `/api/v1/contacts/${id}`, apiKey: key, params: { id } });
const post = (body: unknown, key = apiKey) => callRoute(erasures.POST, { method: "POST", path: "/api/v1/erasures", apiKey: key, body });
const byId = (handler: typeof erasure.GET, method: string, id: string, key = apiKey) => callRoute(handler, { method, path: `/api/v1/erasures/${id}`, apiKey: key, params: { id } });

describe("DELETE /api/v1/contacts/:id", () => {
  it("answers 202 with a pending erasure, the same one again, and queues its window and recovery email once each", async () => {
    const id = await contact("erase.me@example.com");
    const first = await erase(id);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ subject: "contact", contactId: id, status: "pending", recoveryEmailsSent: 0, counts: {} });
    const second = await erase(id);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const sent = recorder.events.filter((event) => event.data.erasureId === first.body.id);
    expect(new Set(sent.map((event) => `${event.name} ${event.id}`))).toEqual(
      new Set([`lifecycle/erasure.requested erasure-requested-${first.body.id}`, `lifecycle/recovery-email.requested erasure-recovery-${first.body.id}-first`]),
    );
    expect(sent.every((event) => !JSON.stringify(event).includes("erase.me@example.com"))).toBe(true);
    // Hidden: not found, not listed.
    expect((await callRoute(contactRoute.GET, { path: `/api/v1/contacts/${id}`, apiKey, params: { id } })).status).toBe(404);
    expect((await callRoute(contactsRoute.GET, { path: "/api/v1/contacts", apiKey })).body.data.map((row: { id: string }) => row.id)).not.toContain(id);
    // An upsert of its address neither writes to it nor un-hides it.
    expect((await callRoute(contactsRoute.POST, { method: "POST", path: "/api/v1/contacts", apiKey, body: { email: "erase.me@example.com", firstName: "X" } })).status).toBe(409);
    const [row] = rowsOf<{ first_name: string | null; erasure_requested_at: unknown }>(await database.db.execute(sql`select first_name, erasure_requested_at from contacts where id = ${id}::uuid`));
    expect(row).toMatchObject({ first_name: null });
    expect(row!.erasure_requested_at).not.toBeNull();
  });

  it("answers 404 for an unknown id, a malformed id and another workspace's contact", async () => {
    const theirs = await contact("theirs@example.com", otherKey);
    expect((await erase("0195c2a0-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await erase("not-a-uuid")).status).toBe(404);
    expect((await erase(theirs)).status).toBe(404);
    expect((await callRoute(contactRoute.GET, { path: `/api/v1/contacts/${theirs}`, apiKey: otherKey, params: { id: theirs } })).status).toBe(200);
  });
});

describe("POST /api/v1/erasures", () => {
  it("erases a list of ids, reporting ids that are not this workspace's contacts", async () => {
    const a = await contact("bulk-a@example.com");
    const b = await contact("bulk-b@example.com");
    const theirs = await contact("bulk-theirs@example.com", otherKey);
    const response = await post({ contactIds: [a, b, theirs, a] });
    expect(response.status).toBe(202);
    expect(response.body.data.map((row: { contactId: string }) => row.contactId).sort()).toEqual([a, b].sort());
    expect(response.body.unknown).toEqual([theirs]);
  });

  it("erases a segment's matches", async () => {
    const list = (await callRoute(listsRoute.POST, { method: "POST", path: "/api/v1/lists", apiKey, body: { name: "Leavers" } })).body as { id: string };
    const ids = [await contact("leaver-1@example.com"), await contact("leaver-2@example.com")];
    const { addListMembers } = await import("@/db/queries/lists");
    const workspaceId = rowsOf<{ workspace_id: string }>(await database.db.execute(sql`select workspace_id from lists where id = ${list.id}::uuid`))[0]!.workspace_id;
    await addListMembers(database.db, { workspaceId, listId: list.id, contactIds: ids });
    const segment = (await callRoute(segmentsRoute.POST, { method: "POST", path: "/api/v1/segments", apiKey, body: { name: "Leavers", filter: { inList: list.id } } })).body as { id: string };
    const response = await post({ segmentId: segment.id });
    expect(response.status).toBe(202);
    expect(response.body.data.map((row: { contactId: string }) => row.contactId).sort()).toEqual(ids.sort());
    // Hidden contacts match no segment any more: erasing it again names nobody new.
    expect((await post({ segmentId: segment.id })).body.data).toEqual([]);
  });

  it.each([
    ["an empty body", {}],
    ["no ids", { contactIds: [] }],
    ["an id that is not a uuid", { contactIds: ["nope"] }],
    ["1,001 ids", { contactIds: Array.from({ length: 1_001 }, () => "0195c2a0-0000-7000-8000-000000000000") }],
    ["both a segment and ids", { segmentId: "0195c2a0-0000-7000-8000-000000000000", contactIds: ["0195c2a0-0000-7000-8000-000000000000"] }],
  ])("refuses %s with 400 and field errors", async (_label, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "invalid_request", fields: expect.any(Object) });
  });

  it("answers 404 for another workspace's segment", async () => {
    const theirs = (await callRoute(segmentsRoute.POST, { method: "POST", path: "/api/v1/segments", apiKey: otherKey, body: { name: "Theirs", filter: { all: [] } } })).body as { id: string };
    expect((await post({ segmentId: theirs.id })).status).toBe(404);
  });
});

describe("GET /api/v1/erasures, GET /erasures/:id, restore, recovery email", () => {
  it("lists newest first with a cursor and a status filter; restores once; resends only while open", async () => {
    const id = await contact("listed@example.com");
    const started = (await erase(id)).body as { id: string };
    const page = await callRoute(erasures.GET, { path: "/api/v1/erasures?limit=1", apiKey });
    expect(page.status).toBe(200);
    expect(page.body.data[0].id).toBe(started.id);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await callRoute(erasures.GET, { path: `/api/v1/erasures?limit=1&cursor=${page.body.nextCursor}`, apiKey });
    expect(next.body.data[0].id).not.toBe(started.id);
    expect((await callRoute(erasures.GET, { path: "/api/v1/erasures?status=bogus", apiKey })).status).toBe(400);
    expect((await callRoute(erasures.GET, { path: "/api/v1/erasures?status=restored", apiKey })).body.data).toEqual([]);

    expect((await byId(erasure.GET, "GET", started.id)).body).toMatchObject({ id: started.id, status: "pending" });
    expect((await byId(erasure.GET, "GET", started.id, otherKey)).status).toBe(404);
    expect((await byId(resend.POST, "POST", started.id, otherKey)).status).toBe(404);
    expect((await byId(restore.POST, "POST", started.id, otherKey)).status).toBe(404);

    expect((await byId(resend.POST, "POST", started.id)).status).toBe(202);
    const restored = await byId(restore.POST, "POST", started.id);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: "restored", restoredAt: expect.any(String) });
    expect(recorder.events.some((event) => event.name === "lifecycle/erasure.restored" && event.data.erasureId === started.id)).toBe(true);
    expect((await callRoute(contactRoute.GET, { path: `/api/v1/contacts/${id}`, apiKey, params: { id } })).status).toBe(200);
    const again = await byId(restore.POST, "POST", started.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_restored");
    expect((await byId(resend.POST, "POST", started.id)).status).toBe(409);
    // A restored contact can be erased again: a new erasure.
    expect((await erase(id)).body.id).not.toBe(started.id);
  });
});

describe("DELETE /api/v1/workspace", () => {
  it("starts the workspace's erasure; its keys are refused with a clear 401 from then on, another workspace's are not", async () => {
    const { apiKey: doomed } = await createWorkspace(database.db, { name: "Doomed" });
    const response = await callRoute(workspaceRoute.DELETE, { method: "DELETE", path: "/api/v1/workspace", apiKey: doomed });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ subject: "workspace", contactId: null, status: "pending" });
    const refused = await callRoute(erasures.GET, { path: "/api/v1/erasures", apiKey: doomed });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: "workspace_erasure_requested", message: expect.stringMatching(/scheduled for erasure/) });
    expect((await callRoute(erasures.GET, { path: "/api/v1/erasures", apiKey })).status).toBe(200);
  });
});
