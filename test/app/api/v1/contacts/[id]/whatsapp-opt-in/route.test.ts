import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { and, eq } from "drizzle-orm";
import { auditLog, contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

const { GET, POST, DELETE } = await import("@/app/api/v1/contacts/[id]/whatsapp-opt-in/route");

let database: Database;
let apiKey: string;
let workspaceId: string;
let otherApiKey: string;
let phoneSeq = 2000;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ apiKey: otherApiKey } = await createWorkspace(database.db, { name: "Theirs" }));
});
afterAll(() => database.close());

async function contact(): Promise<string> {
  const [row] = await database.db.insert(contacts).values({ workspaceId, phone: `+1415555${phoneSeq++}` }).returning({ id: contacts.id });
  return row!.id;
}
const call = (handler: typeof GET, id: string, options: { method?: string; body?: unknown; query?: string; key?: string } = {}) =>
  callRoute(handler, { method: options.method ?? "GET", path: `/api/v1/contacts/${id}/whatsapp-opt-in${options.query ?? ""}`, apiKey: options.key ?? apiKey, params: { id }, body: options.body });

describe("/api/v1/contacts/{id}/whatsapp-opt-in", () => {
  it("shows a contact never asked as not opted in", async () => {
    const id = await contact();
    expect((await call(GET, id)).body).toEqual({
      contactId: id,
      optedIn: false,
      optedInAt: null,
      optInSource: null,
      optedOutAt: null,
      optOutSource: null,
      lastInboundAt: null,
      sessionWindowEndsAt: null,
    });
  });

  it("records an opt-in with its source and time, audited, and withdraws it", async () => {
    const id = await contact();
    const recorded = await call(POST, id, { method: "POST", body: { source: "checkout form", at: "2026-12-01T10:00:00.000Z" } });
    expect(recorded).toMatchObject({ status: 200, body: { optedIn: true, optInSource: "checkout form", optedInAt: "2026-12-01T10:00:00.000Z" } });

    const withdrawn = await call(DELETE, id, { method: "DELETE", query: "?source=customer%20call" });
    expect(withdrawn).toMatchObject({ status: 200, body: { optedIn: false, optedInAt: null, optOutSource: "customer call", optedOutAt: expect.any(String) } });
    expect((await call(GET, id)).body).toMatchObject({ optedIn: false, optOutSource: "customer call" });

    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.targetId, id)));
    expect(audit.map((entry) => entry.action).sort()).toEqual(["whatsapp.opted_in", "whatsapp.opted_out"]);
  });

  it("withdraws with source `api` when none is given", async () => {
    const id = await contact();
    expect((await call(DELETE, id, { method: "DELETE" })).body).toMatchObject({ optOutSource: "api" });
  });

  it.each([
    ["no source", {}, "source"],
    ["a blank source", { source: "  " }, "source"],
    ["a time that is not ISO 8601", { source: "form", at: "yesterday" }, "at"],
    ["an unknown field", { source: "form", channel: "sms" }, ""],
  ])("answers 400 for %s", async (_, body, field) => {
    const id = await contact();
    const response = await call(POST, id, { method: "POST", body });
    expect(response.status).toBe(400);
    if (field) expect(Object.keys(response.body.error.fields)).toContain(field);
  });

  it("answers 404 for another workspace's contact, an unknown id and a malformed one, changing nothing", async () => {
    const id = await contact();
    expect((await call(POST, id, { method: "POST", body: { source: "form" }, key: otherApiKey })).status).toBe(404);
    expect((await call(GET, id, { key: otherApiKey })).status).toBe(404);
    expect((await call(DELETE, id, { method: "DELETE", key: otherApiKey })).status).toBe(404);
    expect((await call(GET, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await call(GET, "not-an-id")).status).toBe(404);
    expect((await call(GET, id)).body.optedIn).toBe(false);
  });
});
