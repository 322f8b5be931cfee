import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { deleteContact, upsertContactByEmail } from "@/db/queries/contacts";
import { deletePushSubscription, listPushSubscriptions, removeExpiredPushSubscriptions, upsertPushSubscription } from "@/db/queries/push-subscriptions";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: mine } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(database.db, { name: "Theirs" }));
});
afterAll(() => database.close());

async function contact(workspaceId: string, email: string): Promise<string> {
  const result = await upsertContactByEmail(database.db, { workspaceId, changes: { email } });
  if (!result.ok) throw new Error("conflict");
  return result.contact.id;
}
const device = (workspaceId: string, contactId: string, address: string, label: string | null = null) =>
  upsertPushSubscription(database.db, { workspaceId, contactId, kind: "fcm", address, p256dh: null, auth: null, label });

describe("push subscriptions", () => {
  it("tell a first registration from a repeat, and keep one row per address per workspace", async () => {
    const ann = await contact(mine, "q-ann@example.com");
    const first = await device(mine, ann, "token-a", "one");
    const again = await device(mine, ann, "token-a", "two");
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.row).toMatchObject({ id: first.row.id, label: "two" });
    // The same token in another workspace is another device record.
    const elsewhere = await device(theirs, await contact(theirs, "q-ann@example.com"), "token-a");
    expect(elsewhere.created).toBe(true);
    expect(await listPushSubscriptions(database.db, { workspaceId: mine, contactId: ann })).toHaveLength(1);
  });

  it("remove an expired device only while its address is unchanged, and only in its workspace", async () => {
    const bob = await contact(mine, "q-bob@example.com");
    const { row } = await device(mine, bob, "token-b");
    expect(await removeExpiredPushSubscriptions(database.db, { workspaceId: theirs, subscriptions: [{ id: row.id, address: "token-b" }] })).toBe(0);
    expect(await removeExpiredPushSubscriptions(database.db, { workspaceId: mine, subscriptions: [{ id: row.id, address: "token-stale" }] })).toBe(0);
    expect(await removeExpiredPushSubscriptions(database.db, { workspaceId: mine, subscriptions: [{ id: row.id, address: "token-b" }] })).toBe(1);
  });

  it("delete only through their own contact, and go with the contact", async () => {
    const carol = await contact(mine, "q-carol@example.com");
    const dan = await contact(mine, "q-dan@example.com");
    const { row } = await device(mine, carol, "token-c");
    expect(await deletePushSubscription(database.db, { workspaceId: mine, contactId: dan, subscriptionId: row.id })).toBe(false);
    await device(mine, carol, "token-c2");
    await deleteContact(database.db, { workspaceId: mine, contactId: carol });
    expect(await listPushSubscriptions(database.db, { workspaceId: mine, contactId: carol })).toEqual([]);
  });
});
