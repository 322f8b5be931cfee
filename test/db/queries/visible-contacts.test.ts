import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getContact, isContactHidden, listContacts, updateContact, upsertContactByEmail } from "@/db/queries/contacts";
import { requestContactErasure, restoreErasure } from "@/db/queries/erasures";
import { addListMembers, countListMembers, insertList, listListMembers, listListsWithCounts, removeListMembers } from "@/db/queries/lists";
import { countContactsMatching } from "@/db/queries/segments";
import { isSuppressed, suppress, suppressionSalt, unsuppress } from "@/db/queries/suppressions";
import { contacts, suppressions } from "@/db/schema";
import { addressHash } from "@/core/messages/address-hash";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Visible" }));
});
afterAll(() => database.close());

async function contact(email: string) {
  const written = await upsertContactByEmail(database.db, { workspaceId, changes: { email } });
  if (!written.ok) throw new Error("not written");
  return written.contact.id;
}

describe("a contact pending erasure", () => {
  it("is in no lookup, list page or count, segment, or list change until restored, and then exactly as before", async () => {
    const id = await contact("hidden@example.com");
    const other = await contact("shown@example.com");
    const list = (await insertList(database.db, { workspaceId, name: "Both", description: null }))!;
    await addListMembers(database.db, { workspaceId, listId: list.id, contactIds: [id, other] });
    const [before] = await database.db.select().from(contacts).where(eq(contacts.id, id));
    const at = new Date();
    const { erasure } = (await requestContactErasure(database.db, { workspaceId, contactId: id, requestedBy: "test", at, eraseAfter: new Date(at.getTime() + 3_600_000) }))!;

    expect(await getContact(database.db, { workspaceId, contactId: id })).toBeUndefined();
    expect(await getContact(database.db, { workspaceId, contactId: id, includeHidden: true })).toMatchObject({ id });
    expect(await isContactHidden(database.db, { workspaceId, contactId: id })).toBe(true);
    expect((await listContacts(database.db, { workspaceId, limit: 10 })).map((row) => row.id)).toEqual([other]);
    expect((await listListMembers(database.db, { workspaceId, listId: list.id, limit: 10 })).map((row) => row.contact.id)).toEqual([other]);
    expect(await countListMembers(database.db, { workspaceId, listId: list.id })).toBe(1);
    expect((await listListsWithCounts(database.db, { workspaceId, limit: 10 }))[0]!.memberCount).toBe(1);
    expect(await countContactsMatching(database.db, { workspaceId, filter: { inList: list.id } })).toBe(1);
    expect(await countContactsMatching(database.db, { workspaceId, filter: { all: [] } })).toBe(1);
    expect(await updateContact(database.db, { workspaceId, contactId: id, changes: { firstName: "X" } })).toBeUndefined();
    expect(await upsertContactByEmail(database.db, { workspaceId, changes: { email: "hidden@example.com", firstName: "X" } })).toMatchObject({ ok: false, conflict: "email" });
    expect(await removeListMembers(database.db, { workspaceId, listId: list.id, contactIds: [id] })).toMatchObject({ changed: [], unknown: [id] });
    expect(await addListMembers(database.db, { workspaceId, listId: list.id, contactIds: [id] })).toMatchObject({ changed: [], unknown: [id] });

    expect(await restoreErasure(database.db, { workspaceId, erasureId: erasure.id, at: new Date(), restoredBy: "test" })).toMatchObject({ ok: true });
    const [after] = await database.db.select().from(contacts).where(eq(contacts.id, id));
    expect(after).toEqual(before);
    expect(await countListMembers(database.db, { workspaceId, listId: list.id })).toBe(2);
  });

  it("cannot be restored after its window, nor twice", async () => {
    const id = await contact("late@example.com");
    const at = new Date();
    const { erasure } = (await requestContactErasure(database.db, { workspaceId, contactId: id, requestedBy: "test", at, eraseAfter: new Date(at.getTime() + 1_000) }))!;
    expect(await restoreErasure(database.db, { workspaceId, erasureId: erasure.id, at: new Date(at.getTime() + 1_000), restoredBy: "test" })).toMatchObject({ ok: false, reason: "window_passed" });
    const second = (await requestContactErasure(database.db, { workspaceId, contactId: await contact("twice@example.com"), requestedBy: "test", at, eraseAfter: new Date(at.getTime() + 60_000) }))!.erasure;
    expect((await restoreErasure(database.db, { workspaceId, erasureId: second.id, at, restoredBy: "test" })).ok).toBe(true);
    expect(await restoreErasure(database.db, { workspaceId, erasureId: second.id, at, restoredBy: "test" })).toMatchObject({ ok: false, reason: "already_restored" });
  });
});

describe("salted suppressions", () => {
  it("are written under the workspace's salt, still match older plain rows, and are lifted only for their reason", async () => {
    expect(await suppress(database.db, { workspaceId, channel: "email", address: "Salted@Example.com", reason: "erased" })).toBe(true);
    const salt = await suppressionSalt(database.db, { workspaceId });
    expect(await suppressionSalt(database.db, { workspaceId })).toBe(salt);
    const rows = await database.db.select().from(suppressions).where(eq(suppressions.workspaceId, workspaceId));
    expect(rows.map((row) => row.addressHash)).toEqual([expect.stringMatching(/^s1:/)]);
    expect(JSON.stringify(rows)).not.toContain(addressHash("email", "salted@example.com"));
    expect(await isSuppressed(database.db, { workspaceId, channel: "email", address: "salted@example.com" })).toBe(true);
    expect(await unsuppress(database.db, { workspaceId, channel: "email", address: "salted@example.com", reason: "sms_stop" })).toBe(false);

    // A row from before salts existed: matched, never written twice.
    await database.db.insert(suppressions).values({ workspaceId, channel: "sms", addressHash: addressHash("sms", "+14155550123"), reason: "sms_stop" });
    expect(await isSuppressed(database.db, { workspaceId, channel: "sms", address: "+14155550123" })).toBe(true);
    expect(await suppress(database.db, { workspaceId, channel: "sms", address: "+14155550123", reason: "erased" })).toBe(false);
    expect(await unsuppress(database.db, { workspaceId, channel: "sms", address: "+14155550123", reason: "sms_stop" })).toBe(true);
    expect(await isSuppressed(database.db, { workspaceId, channel: "sms", address: "+14155550123" })).toBe(false);
  });
});
