import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection, insertMailboxConnection } from "@/db/queries/mailbox-connections";
import { listMailboxMessages } from "@/db/queries/mailbox-messages";
import { ingestMailboxPage } from "@/lib/mailbox/ingest-mailbox-page";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { eml, fixtures, OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const raw = (message: (typeof fixtures)[keyof typeof fixtures]) => Buffer.from(eml(message), "latin1");

async function syncedConnection() {
  const { workspace } = await createWorkspace(database.db, { name: "Ingest" });
  const connection = await insertMailboxConnection(database.db, {
    workspaceId: workspace.id,
    kind: "imap",
    label: "owner@imap",
    ownerAddresses: [OWNER],
    storeBodies: false,
    settings: { kind: "imap", host: "127.0.0.1", port: 143, secure: false, user: "owner", folders: ["INBOX"] },
  });
  return { workspaceId: workspace.id, connectionId: connection.id, connection };
}

describe("ingestMailboxPage (every source's way in)", () => {
  it("keeps the labels the source knows a message by, with the ones its headers carry", async () => {
    const ids = await syncedConnection();
    await ingestMailboxPage(database.db, { ...ids, mails: [{ ref: "INBOX uid 7", raw: raw(fixtures.threadStart), labels: ["INBOX"] }], cursor: { source: { uidNext: 8 } } });
    const [stored] = await listMailboxMessages(database.db, { workspaceId: ids.workspaceId, limit: 5 });
    expect(stored!.labels).toEqual(["INBOX"]);
  });

  it("moves the source's cursor and counts the page, and stamps the backfill's end once", async () => {
    const ids = await syncedConnection();
    const first = await ingestMailboxPage(database.db, { ...ids, mails: [{ ref: "INBOX uid 1", raw: raw(fixtures.threadStart) }], cursor: { source: { uidNext: 2 } }, backfilled: true });
    expect(first).toMatchObject({ seen: 1, stored: 1 });
    const after = (await getMailboxConnection(database.db, ids))!;
    expect(after).toMatchObject({ cursor: { pages: 1, source: { uidNext: 2 } }, finishedAt: null });
    expect(after.backfilledAt).toBeInstanceOf(Date);
    expect(after.lastSyncedAt).toBeInstanceOf(Date);
    await ingestMailboxPage(database.db, { ...ids, connection: after, mails: [], cursor: { source: { uidNext: 2 } }, backfilled: true });
    expect((await getMailboxConnection(database.db, ids))!.backfilledAt).toEqual(after.backfilledAt);
  });

  it("writes nothing when another run committed a page since this one read the connection", async () => {
    const ids = await syncedConnection();
    await ingestMailboxPage(database.db, { ...ids, mails: [{ ref: "INBOX uid 1", raw: raw(fixtures.threadStart) }], cursor: { source: { uidNext: 2 } } });
    // `ids.connection` is the snapshot from before that page: a retry of the same page.
    const stale = await ingestMailboxPage(database.db, { ...ids, mails: [{ ref: "INBOX uid 2", raw: raw(fixtures.threadReply) }], cursor: { source: { uidNext: 3 } } });
    expect(stale).toBeNull();
    expect(await listMailboxMessages(database.db, { workspaceId: ids.workspaceId, limit: 5 })).toHaveLength(1);
    expect((await getMailboxConnection(database.db, ids))!.cursor).toEqual({ pages: 1, source: { uidNext: 2 } });
  });
});
