import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as removeMembers, GET as listMembers, POST as addMembers } from "@/app/api/v1/lists/[id]/members/route";
import { DELETE as deleteList, GET as getList, PATCH as patchList } from "@/app/api/v1/lists/[id]/route";
import { GET as listLists, POST as createList } from "@/app/api/v1/lists/route";
import { GET as listContacts } from "@/app/api/v1/contacts/route";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { MEMBERSHIP_BATCH_MAX } from "@/lib/lists/list-request";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey, workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(() => database.close());

async function contactIn(wsId: string, email: string): Promise<string> {
  const result = await upsertContactByEmail(database.db, { workspaceId: wsId, changes: { email } });
  if (!result.ok) throw new Error("conflict");
  return result.contact.id;
}

const create = (body: unknown, key = apiKey) => callRoute(createList, { method: "POST", path: "/api/v1/lists", apiKey: key, body });
const members = (handler: typeof addMembers, method: string, id: string, body?: unknown, key = apiKey, query = "") =>
  callRoute(handler, { method, path: `/api/v1/lists/${id}/members${query}`, apiKey: key, params: { id }, body });

describe("lists API", () => {
  it("creates, reads, renames, pages and deletes lists", async () => {
    const created = await create({ name: "Newsletter", description: "Monthly" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Newsletter", description: "Monthly" });
    expect(created.body).not.toHaveProperty("workspaceId");
    const id = created.body.id;
    expect((await callRoute(getList, { path: `/api/v1/lists/${id}`, apiKey, params: { id } })).body).toMatchObject({ name: "Newsletter", memberCount: 0 });
    const renamed = await callRoute(patchList, { method: "PATCH", path: `/api/v1/lists/${id}`, apiKey, params: { id }, body: { name: "Digest" } });
    expect(renamed.body).toMatchObject({ name: "Digest", description: "Monthly" });

    await create({ name: "Second" });
    await create({ name: "Third" });
    const first = await callRoute(listLists, { path: "/api/v1/lists?limit=2", apiKey });
    const second = await callRoute(listLists, { path: `/api/v1/lists?limit=2&cursor=${first.body.nextCursor}`, apiKey });
    expect([...first.body.data, ...second.body.data].map((list: { name: string }) => list.name)).toEqual(["Third", "Second", "Digest"]);

    expect((await callRoute(deleteList, { method: "DELETE", path: `/api/v1/lists/${id}`, apiKey, params: { id } })).status).toBe(204);
    expect((await callRoute(getList, { path: `/api/v1/lists/${id}`, apiKey, params: { id } })).status).toBe(404);
  });

  it("refuses a duplicate name (409), a rename onto a taken name (409) and unknown fields (400)", async () => {
    await create({ name: "Dup" });
    expect((await create({ name: "Dup" })).status).toBe(409);
    const other = await create({ name: "Dup 2" });
    const id = other.body.id;
    expect((await callRoute(patchList, { method: "PATCH", path: `/api/v1/lists/${id}`, apiKey, params: { id }, body: { name: "Dup" } })).status).toBe(409);
    expect((await create({ name: "X", workspaceId: otherWorkspaceId })).status).toBe(400);
    expect((await create({ name: "  " })).status).toBe(400);
  });

  it("answers 404 for another workspace's list on every route", async () => {
    const { body: list } = await create({ name: "Private" });
    const id = list.id;
    const contact = await contactIn(otherWorkspaceId, "intruder@example.com");
    expect((await callRoute(getList, { path: `/api/v1/lists/${id}`, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await callRoute(patchList, { method: "PATCH", path: `/api/v1/lists/${id}`, apiKey: otherKey, params: { id }, body: { name: "x" } })).status).toBe(404);
    expect((await callRoute(deleteList, { method: "DELETE", path: `/api/v1/lists/${id}`, apiKey: otherKey, params: { id } })).status).toBe(404);
    expect((await members(addMembers, "POST", id, { contactIds: [contact] }, otherKey)).status).toBe(404);
    expect((await members(listMembers, "GET", id, undefined, otherKey)).status).toBe(404);
    expect((await callRoute(listContacts, { path: `/api/v1/contacts?listId=${id}`, apiKey: otherKey })).status).toBe(404);
  });
});

describe("list membership", () => {
  it("adds idempotently, reports unknown ids and refuses other workspaces' contacts", async () => {
    const { body: list } = await create({ name: "Members" });
    const [a, b, c] = [await contactIn(workspaceId, "a@example.com"), await contactIn(workspaceId, "b@example.com"), await contactIn(workspaceId, "c@example.com")];
    const foreign = await contactIn(otherWorkspaceId, "foreign@example.com");
    const missing = randomUUID();

    const first = await members(addMembers, "POST", list.id, { contactIds: [a, b, a.toUpperCase()] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ added: 2, alreadyMembers: 0, unknownContactIds: [] });

    const again = await members(addMembers, "POST", list.id, { contactIds: [a, b, c, foreign, missing] });
    expect(again.body).toEqual({ added: 1, alreadyMembers: 2, unknownContactIds: [foreign, missing] });

    const page1 = await members(listMembers, "GET", list.id, undefined, apiKey, "?limit=2");
    const page2 = await members(listMembers, "GET", list.id, undefined, apiKey, `?limit=2&cursor=${page1.body.nextCursor}`);
    const ids = [...page1.body.data, ...page2.body.data].map((member: { id: string }) => member.id);
    expect(ids.sort()).toEqual([a, b, c].sort());
    expect(page2.body.nextCursor).toBeNull();
    expect(page1.body.data[0]).toHaveProperty("addedAt");
    expect(page1.body.data[0]).not.toHaveProperty("workspaceId");

    const filtered = await callRoute(listContacts, { path: `/api/v1/contacts?listId=${list.id}`, apiKey });
    expect(filtered.body.data.map((contact: { id: string }) => contact.id).sort()).toEqual([a, b, c].sort());

    const removed = await members(removeMembers, "DELETE", list.id, { contactIds: [a, foreign] });
    expect(removed.body).toEqual({ removed: 1, notMembers: 0, unknownContactIds: [foreign] });
    const removedAgain = await members(removeMembers, "DELETE", list.id, { contactIds: [a] });
    expect(removedAgain.body).toEqual({ removed: 0, notMembers: 1, unknownContactIds: [] });
    expect((await callRoute(getList, { path: `/api/v1/lists/${list.id}`, apiKey, params: { id: list.id } })).body.memberCount).toBe(2);
  });

  it.each([
    ["no ids", { contactIds: [] }],
    ["a malformed id", { contactIds: ["nope"] }],
    ["too many ids", { contactIds: Array.from({ length: MEMBERSHIP_BATCH_MAX + 1 }, () => randomUUID()) }],
    ["an extra field", { contactIds: [randomUUID()], workspaceId: randomUUID() }],
  ])("rejects %s with 400", async (_case, body) => {
    const { body: list } = await create({ name: `Bad ${_case}` });
    expect((await members(addMembers, "POST", list.id, body)).status).toBe(400);
  });

  it("takes a full batch of 1,000 ids in one request", async () => {
    const { body: list } = await create({ name: "Batch" });
    const ids = Array.from({ length: MEMBERSHIP_BATCH_MAX }, () => randomUUID());
    const response = await members(addMembers, "POST", list.id, { contactIds: ids });
    expect(response.body).toMatchObject({ added: 0, alreadyMembers: 0 });
    expect(response.body.unknownContactIds).toHaveLength(MEMBERSHIP_BATCH_MAX);
  });

  it("drops memberships when a contact or the list is deleted", async () => {
    const { body: list } = await create({ name: "Cascade" });
    const contact = await contactIn(workspaceId, "cascade@example.com");
    await members(addMembers, "POST", list.id, { contactIds: [contact] });
    await callRoute(deleteList, { method: "DELETE", path: `/api/v1/lists/${list.id}`, apiKey, params: { id: list.id } });
    const { body: recreated } = await create({ name: "Cascade" });
    expect((await members(listMembers, "GET", recreated.id)).body.data).toEqual([]);
  });
});
