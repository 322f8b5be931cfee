import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/templates/route";
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

const create = (body: unknown, key = apiKey) => callRoute(POST, { method: "POST", path: "/api/v1/templates", apiKey: key, body });

describe("templates API", () => {
  it("creates a template at version 1 and lists it newest first with a cursor", async () => {
    for (const name of ["welcome", "receipt", "reset"]) {
      const created = await create({ channel: "email", name, subject: `About {{ ${"x"} }}`, body: "<p>{{ x }}</p>" });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, channel: "email", version: 1 });
      expect(created.body).not.toHaveProperty("workspaceId");
    }
    const first = await callRoute(GET, { path: "/api/v1/templates?limit=2", apiKey });
    expect(first.body.data.map((t: { name: string }) => t.name)).toEqual(["reset", "receipt"]);
    const second = await callRoute(GET, { path: `/api/v1/templates?limit=2&cursor=${first.body.nextCursor}`, apiKey });
    expect(second.body.data.map((t: { name: string }) => t.name)).toEqual(["welcome"]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("keeps workspaces apart", async () => {
    const theirs = await callRoute(GET, { path: "/api/v1/templates", apiKey: otherKey });
    expect(theirs.body.data).toEqual([]);
  });

  it("refuses a duplicate name with 409", async () => {
    await create({ channel: "sms", name: "dup", body: "a" });
    const again = await create({ channel: "sms", name: "dup", body: "b" });
    expect(again.status).toBe(409);
  });

  it.each([
    ["a body that does not parse", { channel: "email", name: "t1", subject: "s", body: "{% for %}" }, "body"],
    ["a subject that does not parse", { channel: "email", name: "t2", subject: "{{ x", body: "b" }, "subject"],
    ["an email without subject", { channel: "email", name: "t3", body: "b" }, "subject"],
    ["an SMS with a subject", { channel: "sms", name: "t4", subject: "s", body: "b" }, "subject"],
    ["an unknown field", { channel: "sms", name: "t5", body: "b", version: 7 }, "(body)"],
    ["a bad cursor", null, "cursor"],
  ])("rejects %s with 400", async (_case, body, field) => {
    const response = body ? await create(body) : await callRoute(GET, { path: "/api/v1/templates?cursor=garbage", apiKey });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
  });

  it("requires an API key", async () => {
    expect((await callRoute(GET, { path: "/api/v1/templates" })).status).toBe(401);
  });
});
