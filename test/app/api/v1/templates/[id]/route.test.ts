import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/templates/route";
import { GET, PATCH } from "@/app/api/v1/templates/[id]/route";
import type { Database } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(() => database.close());

const create = async (name: string, channel = "email") =>
  (await callRoute(POST, { method: "POST", path: "/api/v1/templates", apiKey, body: { channel, name, ...(channel === "email" ? { subject: "Hi {{ contact.first_name }}" } : {}), body: "<p>Hello</p>" } })).body as { id: string; version: number; updatedAt: string };
const patch = (id: string, body: unknown, key = apiKey) => callRoute(PATCH, { method: "PATCH", path: `/api/v1/templates/${id}`, apiKey: key, body, params: { id } });
const get = (id: string, key = apiKey) => callRoute(GET, { path: `/api/v1/templates/${id}`, apiKey: key, params: { id } });

describe("PATCH /api/v1/templates/{id}", () => {
  it("changes the body and moves the version on by one each time", async () => {
    const template = await create("patched");
    const first = await patch(template.id, { body: '<p>Hello</p><img src="https://x/assets/a/b.jpg" alt="">' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: template.id, version: 2, body: '<p>Hello</p><img src="https://x/assets/a/b.jpg" alt="">', subject: "Hi {{ contact.first_name }}" });
    expect(first.body).not.toHaveProperty("workspaceId");
    expect(new Date(first.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(template.updatedAt).getTime());
    const second = await patch(template.id, { subject: "New subject", version: 2 });
    expect(second.body).toMatchObject({ version: 3, subject: "New subject" });
    expect((await get(template.id)).body).toMatchObject({ version: 3, subject: "New subject" });
  });

  it("refuses a change that does not parse, naming the part, and changes nothing", async () => {
    const template = await create("broken");
    const bad = await patch(template.id, { body: "<p>{% if %}</p>" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(["body"]);
    const noSubject = await patch(template.id, { subject: null });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.error.fields).toEqual({ subject: ["required for email"] });
    expect((await get(template.id)).body).toMatchObject({ version: 1, body: "<p>Hello</p>" });
  });

  it("answers 409 on a stale version or a taken name, 400 on an empty or unknown change", async () => {
    const template = await create("versioned");
    await create("taken");
    await patch(template.id, { body: "<p>One</p>" });
    const stale = await patch(template.id, { body: "<p>Two</p>", version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("stale_version");
    expect((await patch(template.id, { name: "taken" })).body.error).toMatchObject({ code: "conflict", fields: { name: ["is taken"] } });
    expect((await patch(template.id, {})).status).toBe(400);
    const unknown = await patch(template.id, { channel: "sms" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.channel).toEqual(["is not a known field"]);
  });

  it("answers 404 for another workspace's template or a malformed id, 401 without a key", async () => {
    const template = await create("mine");
    expect((await patch(template.id, { body: "<p>x</p>" }, otherKey)).status).toBe(404);
    expect((await get(template.id, otherKey)).status).toBe(404);
    expect((await patch("nope", { body: "<p>x</p>" })).status).toBe(404);
    expect((await patch(template.id, { body: "<p>x</p>" }, "")).status).toBe(401);
  });
});
