import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/templates/route";
import type { Database } from "@/db";
import { templates } from "@/db/schema";
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

  it("pages through rows created in the same millisecond without losing any", async () => {
    const { workspace, apiKey: key } = await createWorkspace(database.db, { name: "Burst" });
    const createdAt = new Date("2026-01-01T00:00:00.123Z");
    await database.db.insert(templates).values(
      Array.from({ length: 5 }, (_, i) => ({ workspaceId: workspace.id, channel: "sms" as const, name: `burst-${i}`, body: "x", createdAt })),
    );
    const seen: string[] = [];
    let cursor = "";
    do {
      const page = await callRoute(GET, { path: `/api/v1/templates?limit=2${cursor ? `&cursor=${cursor}` : ""}`, apiKey: key });
      seen.push(...page.body.data.map((t: { name: string }) => t.name));
      cursor = page.body.nextCursor ?? "";
    } while (cursor);
    expect(seen.sort()).toEqual(["burst-0", "burst-1", "burst-2", "burst-3", "burst-4"]);
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
    ["an unknown field", { channel: "sms", name: "t5", body: "b", version: 7 }, "version"],
    ["a bad cursor", null, "cursor"],
    ["a forged cursor", "forged", "cursor"],
  ])("rejects %s with 400", async (_case, body, field) => {
    const forged = Buffer.from(JSON.stringify([new Date().toISOString(), "1; drop table templates"])).toString("base64url");
    const response =
      body === "forged"
        ? await callRoute(GET, { path: `/api/v1/templates?cursor=${forged}`, apiKey })
        : body
          ? await create(body)
          : await callRoute(GET, { path: "/api/v1/templates?cursor=garbage", apiKey });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toContain(field);
  });

  it("requires an API key", async () => {
    expect((await callRoute(GET, { path: "/api/v1/templates" })).status).toBe(401);
  });
});
