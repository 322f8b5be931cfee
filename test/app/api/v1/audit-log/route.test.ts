import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as routes from "@/app/api/v1/audit-log/route";
import * as verify from "@/app/api/v1/audit-log/verify/route";
import type { Database } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { auditLogApi } from "@/lib/api/contracts/audit-log";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: { id: string; apiKey: string };
let theirs: { id: string; apiKey: string };

beforeAll(async () => {
  database = await useTestDatabase();
  for (const [name, set] of [
    ["Mine", (value: typeof mine) => (mine = value)],
    ["Theirs", (value: typeof mine) => (theirs = value)],
  ] as const) {
    const { workspace, apiKey } = await createWorkspace(database.db, { name });
    set({ id: workspace.id, apiKey });
  }
  for (let n = 0; n < 5; n += 1) {
    await insertAuditEntry(database.db, { workspaceId: mine.id, actor: n % 2 ? "dashboard" : "api_key:k1", action: n < 3 ? "contact.updated" : "campaign.paused", targetType: n < 3 ? "contact" : "campaign", targetId: `t-${n}`, details: { n } });
  }
  await insertAuditEntry(database.db, { workspaceId: theirs.id, actor: "dashboard", action: "contact.updated", targetType: "contact", targetId: "theirs" });
});
afterAll(async () => {
  await database.close();
});

const list = (query = "", apiKey = mine.apiKey) => callRoute(routes.GET, { path: `/api/v1/audit-log${query}`, apiKey });
const check = (apiKey = mine.apiKey) => callRoute(verify.GET, { path: "/api/v1/audit-log/verify", apiKey });

describe("GET /api/v1/audit-log", () => {
  it("lists the workspace's own entries, newest first, with their hashes", async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.data.map((entry: { targetId: string | null }) => entry.targetId)).toEqual(["t-4", "t-3", "t-2", "t-1", "t-0", expect.any(String)]);
    expect(body.data[0]).toMatchObject({ actor: "api_key:k1", action: "campaign.paused", details: { n: 4 }, hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: body.data[1].hash });
    expect(body.nextCursor).toBeNull();
    // The documented schema is what the route sends: every key documented, none left out.
    expect(auditLogApi.list.responses[200].schema.parse(body)).toEqual(body);
  });

  it("filters by action, actor, target and time", async () => {
    expect((await list("?action=campaign.paused")).body.data).toHaveLength(2);
    expect((await list("?actor=dashboard")).body.data.map((entry: { targetId: string }) => entry.targetId)).toEqual(["t-3", "t-1"]);
    expect((await list("?targetType=contact&targetId=t-2")).body.data).toHaveLength(1);
    expect((await list(`?to=${encodeURIComponent("2000-01-01T00:00:00Z")}`)).body.data).toEqual([]);
    expect((await list(`?from=${encodeURIComponent("2000-01-01T00:00:00Z")}&action=contact.updated`)).body.data).toHaveLength(3);
  });

  it("pages with a cursor", async () => {
    const first = await list("?limit=2");
    expect(first.body.data).toHaveLength(2);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((entry: { targetId: string }) => entry.targetId)).toEqual(["t-2", "t-1"]);
    const third = await list(`?limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.data).toHaveLength(2);
    expect(third.body.nextCursor).toBeNull();
  });

  it("answers bad input with field errors", async () => {
    const { status, body } = await list("?cursor=nonsense&from=yesterday&limit=0&colour=red");
    expect(status).toBe(400);
    expect(Object.keys(body.error.fields ?? body.error.details ?? {}).sort()).toEqual(["colour", "cursor", "from", "limit"]);
  });

  it("needs an API key", async () => {
    expect((await callRoute(routes.GET, { path: "/api/v1/audit-log" })).status).toBe(401);
  });
});

describe("GET /api/v1/audit-log/verify", () => {
  it("reports a whole chain, then names the first entry after an edit", async () => {
    const whole = (await check()).body;
    expect(whole).toEqual({ ok: true, checked: 6, unchained: 0, redacted: 0, brokenAt: null });
    expect(auditLogApi.verify.responses[200].schema.parse(whole)).toEqual(whole);
    const { body } = await list("?targetId=t-2");
    await database.db.execute(sql`update audit_log set details = '{"n": 100}'::jsonb where id = ${body.data[0].id}`);
    expect((await check()).body).toEqual({ ok: false, checked: 3, unchained: 0, redacted: 0, brokenAt: { id: body.data[0].id, reason: "hash" } });
    // Another workspace's chain is its own.
    expect((await check(theirs.apiKey)).body).toMatchObject({ ok: true, checked: 2 });
  });
});
