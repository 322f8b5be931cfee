import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import {
  applyInboxAction,
  countInboxMessages,
  inboxClock,
  listInboxActionTargets,
  listInboxChanges,
  listInboxMessages,
} from "@/db/queries/inbox-messages";
import { ensureInboxSettings, getInboxSettings, rotateInboxSecret } from "@/db/queries/inbox-settings";
import { insertWorkspace } from "@/db/queries/workspaces";
import { page } from "@/core/pagination/cursor";
import { createTestDatabase } from "@/test/support/database";
import { deliverToInbox, insertInboxContact } from "@/test/support/inbox";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await insertWorkspace(database.db, { name: "inbox queries" })).id;
  otherWorkspaceId = (await insertWorkspace(database.db, { name: "other" })).id;
});
afterAll(() => database.close());

/** A contact with `n` messages, delivered oldest first (bodies "1" … "n"). */
async function inboxOf(n: number, inWorkspace = workspaceId) {
  const contactId = await insertInboxContact(database.db, inWorkspace);
  const inboxIds: string[] = [];
  for (let i = 1; i <= n; i++) {
    // Apart by a few milliseconds, so "newest first" has one answer.
    await new Promise((resolve) => setTimeout(resolve, 3));
    inboxIds.push((await deliverToInbox(database.db, { workspaceId: inWorkspace, contactId, body: String(i) })).inboxId);
  }
  return { contactId, inboxIds, principal: { workspaceId: inWorkspace, contactId } };
}

describe("the feed", () => {
  it("pages a contact's messages newest first along its keyset cursor, and nobody else's", async () => {
    const { principal } = await inboxOf(5);
    await inboxOf(2); // another contact, same workspace
    const bodies: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const rows = await listInboxMessages(database.db, { ...principal, view: "all", limit: 3, after });
      const { items, nextCursor } = page(rows, 2, (row) => ({ at: row.createdAt, id: row.id }));
      bodies.push(...items.map((row) => row.body));
      if (!nextCursor) break;
      after = { at: items.at(-1)!.createdAt, id: items.at(-1)!.id };
    }
    expect(bodies).toEqual(["5", "4", "3", "2", "1"]);
  });

  it("filters unread and archived, and counts unread and unseen outside the archive", async () => {
    const { principal, inboxIds } = await inboxOf(4);
    const [one, two, three] = inboxIds as [string, string, string, string];
    await applyInboxAction(database.db, { ...principal, action: "seen", ids: [one] });
    await applyInboxAction(database.db, { ...principal, action: "read", ids: [two] });
    await applyInboxAction(database.db, { ...principal, action: "archive", ids: [three] });

    const view = async (name: "all" | "unread" | "archived") =>
      (await listInboxMessages(database.db, { ...principal, view: name, limit: 10 })).map((row) => row.body).sort();
    expect(await view("all")).toEqual(["1", "2", "4"]);
    expect(await view("unread")).toEqual(["1", "4"]);
    expect(await view("archived")).toEqual(["3"]);
    expect(await countInboxMessages(database.db, principal)).toEqual({ unread: 2, unseen: 1 });
  });
});

describe("actions", () => {
  it("reading marks seen too; a repeat changes nothing; unread keeps it seen", async () => {
    const { principal, inboxIds } = await inboxOf(1);
    const [read] = await applyInboxAction(database.db, { ...principal, action: "read", ids: inboxIds });
    expect(read).toMatchObject({ newlySeen: true });
    expect(read!.readAt).not.toBeNull();
    expect(read!.seenAt).toEqual(read!.readAt);
    expect(await applyInboxAction(database.db, { ...principal, action: "read", ids: inboxIds })).toEqual([]);
    const [unread] = await applyInboxAction(database.db, { ...principal, action: "unread", ids: inboxIds });
    expect(unread).toMatchObject({ readAt: null, newlySeen: false });
    expect(unread!.seenAt).toEqual(read!.seenAt);
    // Read again: already seen, so not newly.
    const [again] = await applyInboxAction(database.db, { ...principal, action: "read", ids: inboxIds });
    expect(again).toMatchObject({ newlySeen: false });
  });

  it("\"all\" means the inbox outside the archive, and unarchive empties the archive", async () => {
    const { principal, inboxIds } = await inboxOf(3);
    await applyInboxAction(database.db, { ...principal, action: "archive", ids: [inboxIds[0]!] });
    expect(await applyInboxAction(database.db, { ...principal, action: "seen" })).toHaveLength(2);
    expect(await countInboxMessages(database.db, principal)).toEqual({ unread: 2, unseen: 0 });
    expect(await applyInboxAction(database.db, { ...principal, action: "read" })).toHaveLength(2);
    expect(await applyInboxAction(database.db, { ...principal, action: "archive" })).toHaveLength(2);
    expect(await applyInboxAction(database.db, { ...principal, action: "unarchive" })).toHaveLength(3);
    // The archived-first message was never seen; it is unread again in the inbox.
    expect(await countInboxMessages(database.db, principal)).toEqual({ unread: 1, unseen: 1 });
  });

  it("touches no message of another contact or workspace, even by id", async () => {
    const mine = await inboxOf(1);
    const theirs = await inboxOf(1);
    const elsewhere = await inboxOf(1, otherWorkspaceId);
    const ids = [theirs.inboxIds[0]!, elsewhere.inboxIds[0]!];
    expect(await listInboxActionTargets(database.db, { ...mine.principal, action: "read", ids })).toEqual([]);
    expect(await applyInboxAction(database.db, { ...mine.principal, action: "read", ids })).toEqual([]);
    expect(await applyInboxAction(database.db, { workspaceId, contactId: elsewhere.contactId, action: "read" })).toEqual([]);
    expect(await countInboxMessages(database.db, theirs.principal)).toEqual({ unread: 1, unseen: 1 });
    expect(await countInboxMessages(database.db, elsewhere.principal)).toEqual({ unread: 1, unseen: 1 });
  });

  it("lists a seen's targets with their seen state, before anything is written", async () => {
    const { principal, inboxIds } = await inboxOf(2);
    await applyInboxAction(database.db, { ...principal, action: "seen", ids: [inboxIds[0]!] });
    const targets = await listInboxActionTargets(database.db, { ...principal, action: "read" });
    expect(targets.map((target) => [target.id, target.seenAt === null])).toEqual([
      [inboxIds[0], false],
      [inboxIds[1], true],
    ]);
  });
});

describe("changes", () => {
  it("lists rows changed after a position, oldest change first, paged along (updated_at, id)", async () => {
    const { principal, inboxIds } = await inboxOf(3);
    const start = new Date((await inboxClock(database.db)).getTime() - 60_000);
    const zero = "00000000-0000-0000-0000-000000000000";
    const all = await listInboxChanges(database.db, { ...principal, after: { at: start, id: zero }, limit: 10 });
    expect(all.map((row) => row.id)).toEqual(inboxIds);

    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = await inboxClock(database.db);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await applyInboxAction(database.db, { ...principal, action: "read" });
    const firstPage = await listInboxChanges(database.db, { ...principal, after: { at: since, id: zero }, limit: 2 });
    expect(firstPage).toHaveLength(2);
    const last = firstPage.at(-1)!;
    const secondPage = await listInboxChanges(database.db, { ...principal, after: { at: last.updatedAt, id: last.id }, limit: 2 });
    expect([...firstPage, ...secondPage].map((row) => row.id).sort()).toEqual([...inboxIds].sort());
  });
});

describe("inbox settings", () => {
  it("creates the secret once, however many first uses race, and rotates it", async () => {
    const workspace = (await insertWorkspace(database.db, { name: "secrets" })).id;
    expect(await getInboxSettings(database.db, { workspaceId: workspace })).toBeUndefined();
    const raced = await Promise.all(["a", "b", "c"].map((newSecret) => ensureInboxSettings(database.db, { workspaceId: workspace, newSecret })));
    expect(new Set(raced.map((row) => row.signingSecret)).size).toBe(1);
    const rotated = await rotateInboxSecret(database.db, { workspaceId: workspace, newSecret: "d" });
    expect(rotated).toMatchObject({ signingSecret: "d" });
    expect(rotated.rotatedAt).not.toBeNull();
    expect((await ensureInboxSettings(database.db, { workspaceId: workspace, newSecret: "e" })).signingSecret).toBe("d");
  });
});
