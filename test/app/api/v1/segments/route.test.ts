import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as countSegment } from "@/app/api/v1/segments/[id]/count/route";
import { DELETE as deleteSegment, GET as getSegment, PATCH as patchSegment } from "@/app/api/v1/segments/[id]/route";
import { GET as listSegments, POST as createSegment } from "@/app/api/v1/segments/route";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { insertSegment } from "@/db/queries/segments";
import { audienceCondition } from "@/db/queries/audience-condition";
import type { SegmentFilter } from "@/core/segments/segment-filter";
import { addListMembers, insertList } from "@/db/queries/lists";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let listId: string;
let otherListId: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const acme = await createWorkspace(database.db, { name: "Acme" });
  const other = await createWorkspace(database.db, { name: "Other" });
  apiKey = acme.apiKey;
  workspaceId = acme.workspace.id;
  otherKey = other.apiKey;
  const contactIds: string[] = [];
  for (const email of ["a@acme.com", "b@acme.com", "c@example.org"]) {
    const result = await upsertContactByEmail(database.db, { workspaceId: acme.workspace.id, changes: { email } });
    if (result.ok) contactIds.push(result.contact.id);
  }
  await upsertContactByEmail(database.db, { workspaceId: other.workspace.id, changes: { email: "z@acme.com" } });
  listId = (await insertList(database.db, { workspaceId: acme.workspace.id, name: "L", description: null }))!.id;
  otherListId = (await insertList(database.db, { workspaceId: other.workspace.id, name: "L", description: null }))!.id;
  await addListMembers(database.db, { workspaceId: acme.workspace.id, listId, contactIds: contactIds.slice(0, 1) });
});
afterAll(() => database.close());

const create = (body: unknown, key = apiKey) => callRoute(createSegment, { method: "POST", path: "/api/v1/segments", apiKey: key, body });
const count = (id: string, key = apiKey) => callRoute(countSegment, { path: `/api/v1/segments/${id}/count`, apiKey: key, params: { id } });

describe("segments API", () => {
  it("saves a segment and previews its size", async () => {
    const created = await create({ name: "Acme people", filter: { field: "email", op: "ends_with", value: "@acme.com" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Acme people", filter: { field: "email", op: "ends_with", value: "@acme.com" } });
    expect(created.body).not.toHaveProperty("workspaceId");
    expect((await count(created.body.id)).body).toEqual({ segmentId: created.body.id, count: 2 });
  });

  it("counts list membership and follows a filter change", async () => {
    const created = await create({ name: "Listed", filter: { inList: listId } });
    expect((await count(created.body.id)).body.count).toBe(1);
    const id = created.body.id;
    const patched = await callRoute(patchSegment, {
      method: "PATCH",
      path: `/api/v1/segments/${id}`,
      apiKey,
      params: { id },
      body: { filter: { not: { inList: listId } } },
    });
    expect(patched.status).toBe(200);
    expect((await count(id)).body.count).toBe(2);
  });

  it("refuses a filter naming another workspace's list, or no list at all, at save time", async () => {
    const response = await create({ name: "Theirs", filter: { all: [{ field: "email", op: "exists" }, { inList: otherListId }] } });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual({ "filter.all.1.inList": ["is not a list in this workspace"] });
    expect((await create({ name: "Missing", filter: { inList: randomUUID() } })).status).toBe(400);
    const saved = await create({ name: "Saved", filter: { all: [] } });
    const id = saved.body.id;
    const patched = await callRoute(patchSegment, { method: "PATCH", path: `/api/v1/segments/${id}`, apiKey, params: { id }, body: { filter: { inList: otherListId } } });
    expect(patched.status).toBe(400);
  });

  it.each([
    ["an invalid filter", { name: "Bad", filter: { field: "email", op: "gt", value: "x" } }, "filter.op"],
    ["a missing filter", { name: "Bad" }, "filter"],
    ["an extra field", { name: "Bad", filter: { all: [] }, workspaceId: randomUUID() }, "workspaceId"],
    ["an injected attribute key", { name: "Bad", filter: { attribute: "x' or 1=1 --", op: "exists" } }, "filter.attribute"],
  ])("rejects %s with 400 at %s", async (_case, body, field) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toHaveProperty([field]);
  });

  it("lists, renames, refuses a duplicate name and deletes", async () => {
    const { apiKey: key } = await createWorkspace(database.db, { name: "Lister" });
    const ids: string[] = [];
    for (const name of ["one", "two", "three"]) ids.push((await create({ name, filter: { all: [] } }, key)).body.id);
    expect((await create({ name: "one", filter: { any: [] } }, key)).status).toBe(409);
    const first = await callRoute(listSegments, { path: "/api/v1/segments?limit=2", apiKey: key });
    const second = await callRoute(listSegments, { path: `/api/v1/segments?limit=2&cursor=${first.body.nextCursor}`, apiKey: key });
    expect([...first.body.data, ...second.body.data].map((s: { name: string }) => s.name)).toEqual(["three", "two", "one"]);
    const id = ids[0]!;
    const renameTaken = await callRoute(patchSegment, { method: "PATCH", path: `/api/v1/segments/${id}`, apiKey: key, params: { id }, body: { name: "two" } });
    expect(renameTaken.status).toBe(409);
    expect((await callRoute(deleteSegment, { method: "DELETE", path: `/api/v1/segments/${id}`, apiKey: key, params: { id } })).status).toBe(204);
    expect((await callRoute(getSegment, { path: `/api/v1/segments/${id}`, apiKey: key, params: { id } })).status).toBe(404);
    expect((await count(id, key)).status).toBe(404);
  });

  it("answers 404 for another workspace's segment on every route", async () => {
    const { body: segment } = await create({ name: "Secret", filter: { all: [] } });
    const id = segment.id;
    expect((await callRoute(getSegment, { path: `/api/v1/segments/${id}`, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await count(id, otherKey)).status).toBe(404);
    expect((await callRoute(patchSegment, { method: "PATCH", path: `/api/v1/segments/${id}`, apiKey: otherKey, params: { id }, body: { name: "x" } })).status).toBe(404);
    expect((await callRoute(deleteSegment, { method: "DELETE", path: `/api/v1/segments/${id}`, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await count("not-a-uuid")).status).toBe(404);
    expect((await count(id)).body.count).toBe(3);
  });
  it.each([
    ["a date PostgreSQL cannot hold", { field: "birthday", op: "eq", value: "0000-01-01" }, "filter.value", "must be between 0001-01-01 and 9999-12-31"],
    ["a date-time that lands in year 10000", { all: [{ field: "createdAt", op: "gt", value: "9999-12-31T23:00-05:00" }] }, "filter.all.0.value", "must be between 0001-01-01 and 9999-12-31 (in UTC)"],
    ["a window that overflows", { engagement: "opened", within: "999999w" }, "filter.within", 'must be a window like "12h", "30d" or "8w", at most ten years'],
  ])("refuses %s at save with 400 naming the condition (it saved, then every count answered 500)", async (_case, filter, field, message) => {
    const response = await create({ name: `Out of range ${field}`, filter });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual({ [field]: [message] });
  });

  it("a stored filter that is no longer valid: the count says why (409, no SQL), a campaign's audience names it", async () => {
    // Saved before the date rules tightened: written straight to the table.
    const stale = (await insertSegment(database.db, {
      workspaceId,
      name: "Saved long ago",
      filter: { field: "createdAt", op: "gt", value: "0000-01-01" } as SegmentFilter,
    }))!;
    const response = await count(stale.id);
    expect(response.status).toBe(409);
    expect(response.body.error).toEqual({
      code: "invalid_segment",
      message:
        "This segment cannot be counted: its saved filter is no longer valid: filter.value must be between 0001-01-01 and 9999-12-31 (in UTC). Save a corrected filter with PATCH.",
    });
    expect(await audienceCondition(database.db, { workspaceId, channel: "email", audience: { segmentId: stale.id } })).toEqual({
      error: `segment ${stale.id}: its saved filter is no longer valid: filter.value must be between 0001-01-01 and 9999-12-31 (in UTC)`,
    });
  });
});
