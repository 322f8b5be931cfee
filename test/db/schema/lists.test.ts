import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { insertList } from "@/db/queries/lists";
import { listMembers } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe("list_members", () => {
  it("cannot tie a member row to another workspace's list, whatever the query does", async () => {
    const mine = (await createWorkspace(database.db, { name: "Mine" })).workspace.id;
    const theirs = (await createWorkspace(database.db, { name: "Theirs" })).workspace.id;
    const theirList = (await insertList(database.db, { workspaceId: theirs, name: "L", description: null }))!;
    const contact = await upsertContactByEmail(database.db, { workspaceId: mine, changes: { email: "me@example.com" } });
    if (!contact.ok) throw new Error("conflict");
    await expect(
      database.db.insert(listMembers).values({ listId: theirList.id, contactId: contact.contact.id, workspaceId: mine }),
    ).rejects.toThrow();
  });
});
