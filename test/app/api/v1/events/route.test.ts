import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contactEvents, contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { metrics } from "@/lib/observability/metrics";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

// The route sends contact/event.received to an Inngest server; a loopback recorder plays it.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const routes = await import("@/app/api/v1/events/route");
const batchRoute = await import("@/app/api/v1/events/batch/route");

let database: Database;
let apiKey: string;
let workspaceId: string;
let ann: string;
let bob: string;
let hidden: string;
let otherContact: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  const other = await createWorkspace(database.db, { name: "Other" });
  const rows = await database.db
    .insert(contacts)
    .values([
      { workspaceId, email: "ann@example.com" },
      { workspaceId, email: "bob@example.com" },
      { workspaceId, email: "gone@example.com", erasureRequestedAt: new Date() },
      { workspaceId: other.workspace.id, email: "ann@other.example" },
    ])
    .returning({ id: contacts.id });
  [ann, bob, hidden, otherContact] = rows.map((row) => row.id) as [string, string, string, string];
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const post = (body: unknown) => callRoute(routes.POST, { method: "POST", path: "/api/v1/events", apiKey, body });
const postBatch = (body: unknown) => callRoute(batchRoute.POST, { method: "POST", path: "/api/v1/events/batch", apiKey, body });
const list = (query = "") => callRoute(routes.GET, { path: `/api/v1/events${query}`, apiKey });
const stored = (eventId: string) => database.db.select().from(contactEvents).where(eq(contactEvents.eventId, eventId));
const outcomeCount = async (outcome: string) => (await metrics().contactEvents.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe("POST /api/v1/events and /api/v1/events/batch", () => {
  it("records an event once per id and announces it under one event id, every time it is posted", async () => {
    const recordedBefore = await outcomeCount("recorded");
    const request = { id: "order-1001-paid", name: "purchase", contactId: ann, properties: { total: 42.5, sku: "tea" }, occurredAt: "2026-12-01T10:00:00+01:00" };
    const first = await post(request);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      duplicate: false,
      event: { id: "order-1001-paid", name: "purchase", contactId: ann, properties: { total: 42.5, sku: "tea" }, occurredAt: "2026-12-01T09:00:00.000Z", receivedAt: expect.any(String) },
    });
    const firstSent = recorder.events.at(-1)!;
    expect(firstSent).toMatchObject({ id: `contact-event-${workspaceId}-order-1001-paid`, name: "contact/event.received", data: { workspaceId, contactId: ann, name: "purchase" } });
    const [row] = await stored("order-1001-paid");
    expect(firstSent.data.contactEventId).toBe(row!.id);

    // The retry (even with another body) stores nothing and answers with the first record.
    const again = await post({ ...request, name: "refund", properties: { total: 1 } });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ duplicate: true, event: first.body.event });
    expect(await stored("order-1001-paid")).toHaveLength(1);
    // Sent again, under the same id: the server starts consumers once, and a lost first send is repaired.
    expect(recorder.events.at(-1)).toMatchObject({ id: firstSent.id, name: firstSent.name, data: firstSent.data });
    expect(await outcomeCount("recorded")).toBe(recordedBefore + 1);
  });

  it("finds the contact by email, case-insensitively, and dates the event on arrival by default", async () => {
    const response = await post({ id: "signup-bob", name: "app:signup", email: "Bob@Example.com" });
    expect(response.status).toBe(202);
    expect(response.body.event).toMatchObject({ contactId: bob, properties: {}, name: "app:signup" });
    expect(response.body.event.occurredAt).toBe(response.body.event.receivedAt);
  });

  it("answers a batch with one result per event, in order, and sends the recorded ones in one request", async () => {
    const sentBefore = recorder.events.length;
    const response = await postBatch({
      events: [
        { id: "b-1", name: "page.viewed", contactId: ann, properties: { path: "/pricing" } },
        { id: "b-2", name: "page.viewed", contactId: otherContact },
        { id: "b-3", name: "cart.abandoned", email: "bob@example.com" },
        { id: "order-1001-paid", name: "purchase", contactId: ann },
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body.data.map((r: { status: number; duplicate?: boolean }) => [r.status, r.duplicate])).toEqual([
      [202, false],
      [404, undefined],
      [202, false],
      [202, true],
    ]);
    expect(response.body.data[1].error).toMatchObject({ code: "not_found", fields: { contactId: ["Contact not found"] } });
    expect(recorder.events.slice(sentBefore).map((e) => e.id)).toEqual([
      `contact-event-${workspaceId}-b-1`,
      `contact-event-${workspaceId}-b-3`,
      `contact-event-${workspaceId}-order-1001-paid`,
    ]);
    expect(await stored("b-2")).toHaveLength(0);
  });

  it("answers 503 and keeps the event when it cannot be queued, and the retry queues it", async () => {
    recorder.failNext(10);
    const failed = await post({ id: "retry-1", name: "purchase", contactId: ann });
    expect(failed.status).toBe(503);
    expect(failed.body.error).toEqual({ code: "queue_unavailable", message: "The events are recorded but could not be queued; retry the same request" });
    expect(await stored("retry-1")).toHaveLength(1);
    recorder.failNext(0);
    const retried = await post({ id: "retry-1", name: "purchase", contactId: ann });
    expect(retried.status).toBe(202);
    expect(retried.body.duplicate).toBe(true);
    expect(recorder.events.at(-1)!.id).toBe(`contact-event-${workspaceId}-retry-1`);
  });

  describe("refuses", () => {
    it.each([
      ["another workspace's contact", { id: "x-1", name: "purchase", contactId: () => otherContact }],
      ["a contact pending erasure", { id: "x-2", name: "purchase", contactId: () => hidden }],
      ["an unknown contact id", { id: "x-3", name: "purchase", contactId: () => "00000000-0000-4000-8000-000000000000" }],
    ])("%s with 404, recording nothing", async (_case, { contactId, ...rest }) => {
      const response = await post({ ...rest, contactId: contactId() });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("not_found");
      expect(await stored(rest.id)).toHaveLength(0);
    });

    it("an unknown email with 404", async () => {
      expect((await post({ id: "x-4", name: "purchase", email: "nobody@example.com" })).status).toBe(404);
    });

    it.each([
      ["a name with spaces", { id: "v-1", name: "bad name" }, "name"],
      ["a name over 100 characters", { id: "v-2", name: "n".repeat(101) }, "name"],
      ["no id", { name: "purchase" }, "id"],
      ["an id with a space", { id: "a b", name: "purchase" }, "id"],
      ["both contactId and email", { id: "v-3", name: "purchase", email: "ann@example.com", withContact: true }, "contactId"],
      ["properties that are not an object", { id: "v-4", name: "purchase", properties: [1, 2] }, "properties"],
      ["properties over 8 KiB", { id: "v-5", name: "purchase", properties: { blob: "x".repeat(9000) } }, "properties"],
      ["an occurredAt that is not a date-time", { id: "v-6", name: "purchase", occurredAt: "yesterday" }, "occurredAt"],
      ["an unknown field", { id: "v-7", name: "purchase", colour: "red" }, "colour"],
    ])("%s with 400 naming the field", async (_case, input, field) => {
      const { withContact, ...body } = input as Record<string, unknown>;
      const response = await post({ contactId: ann, ...body, ...(withContact ? { contactId: ann } : {}) });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.error.fields)).toContain(field);
    });

    it("a batch with an invalid event with 400 naming it by index, recording none of the batch", async () => {
      const response = await postBatch({ events: [{ id: "bv-1", name: "ok", contactId: ann }, { id: "bv-2", name: "not ok!", contactId: ann }] });
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toEqual({ "events.1.name": [expect.stringContaining("letters, digits")] });
      expect(await stored("bv-1")).toHaveLength(0);
    });

    it("a batch of more than 100 events with 400", async () => {
      const events = Array.from({ length: 101 }, (_, i) => ({ id: `big-${i}`, name: "tick", contactId: ann }));
      const response = await postBatch({ events });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.error.fields)).toEqual(["events"]);
    });

    it("a body over the API's body cap with 413", async () => {
      const response = await post({ id: "huge", name: "purchase", contactId: ann, properties: { blob: "x".repeat(1_100_000) } });
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe("payload_too_large");
    });

    it("a request without a valid key with 401", async () => {
      const response = await callRoute(routes.POST, { method: "POST", path: "/api/v1/events", body: { id: "k", name: "purchase", contactId: ann } });
      expect(response.status).toBe(401);
    });
  });
});

describe("GET /api/v1/events", () => {
  it("lists events newest first, filtered by contact and name, page by page", async () => {
    const all = await list();
    expect(all.status).toBe(200);
    const ids = all.body.data.map((e: { id: string }) => e.id);
    expect(ids.slice(0, 3)).toEqual(["retry-1", "b-3", "b-1"]);
    expect(ids).not.toContain("b-2");

    const anns = await list(`?contactId=${ann}&name=purchase`);
    expect(anns.body.data.map((e: { id: string }) => e.id)).toEqual(["retry-1", "order-1001-paid"]);

    const first = await list("?limit=2");
    expect(first.body.data).toHaveLength(2);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(2, 4));
  });

  it("never shows another workspace's or a hidden contact's events", async () => {
    expect((await list(`?contactId=${otherContact}`)).body.data).toEqual([]);
    expect((await list(`?contactId=${hidden}`)).body.data).toEqual([]);
  });

  it("refuses a forged cursor and a bad name with 400", async () => {
    expect((await list("?cursor=nope")).body.error.fields).toHaveProperty("cursor");
    expect((await list("?name=a%20b")).status).toBe(400);
  });
});
