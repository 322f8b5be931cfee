import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listContactMemberships } from "@/db/queries/list-members";
import { listContactMessages } from "@/db/queries/messages";
import { countImportErrors } from "@/db/queries/import-errors";
import { insertImport } from "@/db/queries/imports";
import { addListMembers, insertList, listListOptions, listListsWithCounts } from "@/db/queries/lists";
import { contacts, importErrors, messages } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await useTestDatabase();
  const { db } = database;
  ({ workspace: { id: mine } } = await createWorkspace(db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(db, { name: "Theirs" }));
  const [ada, bob] = await db
    .insert(contacts)
    .values([
      { workspaceId: mine, email: "ada@example.com" },
      { workspaceId: mine, email: "bob@example.com" },
    ])
    .returning();
  const [eve] = await db.insert(contacts).values({ workspaceId: theirs, email: "eve@example.com" }).returning();
  ids.ada = ada!.id;
  ids.bob = bob!.id;
  ids.eve = eve!.id;
  const old = (await insertList(db, { workspaceId: mine, name: "Zeta", description: null }))!;
  await new Promise((resolve) => setTimeout(resolve, 5));
  const fresh = (await insertList(db, { workspaceId: mine, name: "Alpha", description: "new" }))!;
  const other = (await insertList(db, { workspaceId: theirs, name: "Theirs", description: null }))!;
  ids.old = old.id;
  ids.fresh = fresh.id;
  ids.other = other.id;
  await addListMembers(db, { workspaceId: mine, listId: old.id, contactIds: [ada!.id, bob!.id] });
  await addListMembers(db, { workspaceId: mine, listId: fresh.id, contactIds: [ada!.id] });
  await addListMembers(db, { workspaceId: theirs, listId: other.id, contactIds: [eve!.id] });
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));
  await db.insert(messages).values([
    { workspaceId: mine, idempotencyKey: "m1", channel: "email", recipient: "ada@example.com", contactId: ada!.id, queuedAt: at(1) },
    { workspaceId: mine, idempotencyKey: "m2", channel: "email", recipient: "ada@example.com", contactId: ada!.id, queuedAt: at(3) },
    { workspaceId: mine, idempotencyKey: "m3", channel: "email", recipient: "ada@example.com", contactId: ada!.id, queuedAt: at(2) },
    { workspaceId: mine, idempotencyKey: "m4", channel: "email", recipient: "bob@example.com", contactId: bob!.id, queuedAt: at(4) },
  ]);
});
afterAll(async () => {
  await database.close();
});

describe("dashboard list queries", () => {
  it("lists a workspace's lists newest first with member counts", async () => {
    const rows = await listListsWithCounts(database.db, { workspaceId: mine, limit: 10 });
    expect(rows.map((row) => [row.name, row.memberCount])).toEqual([
      ["Alpha", 1],
      ["Zeta", 2],
    ]);
  });

  it("pages on (created_at, id)", async () => {
    const [first] = await listListsWithCounts(database.db, { workspaceId: mine, limit: 1 });
    const rest = await listListsWithCounts(database.db, { workspaceId: mine, limit: 10, after: { at: first!.createdAt, id: first!.id } });
    expect(rest.map((row) => row.name)).toEqual(["Zeta"]);
  });

  it("offers a workspace's lists by name", async () => {
    expect(await listListOptions(database.db, { workspaceId: mine, limit: 10 })).toEqual([
      { id: ids.fresh, name: "Alpha" },
      { id: ids.old, name: "Zeta" },
    ]);
    expect(await listListOptions(database.db, { workspaceId: mine, limit: 1 })).toHaveLength(1);
  });
});

describe("dashboard contact queries", () => {
  it("lists a contact's lists by name, only within the workspace", async () => {
    const rows = await listContactMemberships(database.db, { workspaceId: mine, contactId: ids.ada! });
    expect(rows.map((row) => row.name)).toEqual(["Alpha", "Zeta"]);
    expect(rows[0]!.addedAt).toBeInstanceOf(Date);
    expect(await listContactMemberships(database.db, { workspaceId: mine, contactId: ids.eve! })).toEqual([]);
    expect(await listContactMemberships(database.db, { workspaceId: theirs, contactId: ids.ada! })).toEqual([]);
  });

  it("lists the newest messages to one contact", async () => {
    const rows = await listContactMessages(database.db, { workspaceId: mine, contactId: ids.ada!, limit: 2 });
    expect(rows.map((row) => row.idempotencyKey)).toEqual(["m2", "m3"]);
    expect(await listContactMessages(database.db, { workspaceId: theirs, contactId: ids.ada!, limit: 10 })).toEqual([]);
  });
});

describe("countImportErrors", () => {
  it("counts one import's error rows within the workspace", async () => {
    const { row } = await insertImport(database.db, {
      workspaceId: mine,
      mode: "upsert",
      listId: null,
      fileKey: "imports/x/y",
      fileName: "a.csv",
      sha256: "d".repeat(64),
      bytes: 1,
      sheetName: null,
      mapping: {},
      mappingHash: "h",
      chunkRows: 10,
    });
    await database.db.insert(importErrors).values([
      { importId: row.id, workspaceId: mine, line: 2, reason: "x" },
      { importId: row.id, workspaceId: mine, line: 3, reason: "y" },
    ]);
    expect(await countImportErrors(database.db, { workspaceId: mine, importId: row.id })).toBe(2);
    expect(await countImportErrors(database.db, { workspaceId: theirs, importId: row.id })).toBe(0);
  });
});
