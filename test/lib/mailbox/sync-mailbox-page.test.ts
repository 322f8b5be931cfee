import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection, insertMailboxConnection } from "@/db/queries/mailbox-connections";
import { openMailboxCredentials, sealMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import { MailboxAuthError, type MailboxSource, type OpenMailboxSource, type SourcePageRequest } from "@/lib/mailbox/mailbox-source";
import { syncMailboxPage } from "@/lib/mailbox/sync-mailbox-page";
import { secretKeys } from "@/lib/security/secret-box";
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

const NOW = new Date("2026-12-07T12:00:00Z");

async function connection(options: { keys?: ReturnType<typeof secretKeys>; credentials?: string } = {}) {
  const { workspace } = await createWorkspace(database.db, { name: "Sync" });
  const id = crypto.randomUUID();
  const row = await insertMailboxConnection(database.db, {
    id,
    workspaceId: workspace.id,
    kind: "imap",
    label: "owner@imap",
    ownerAddresses: [OWNER],
    storeBodies: false,
    historyDays: 30,
    settings: { kind: "imap", host: "127.0.0.1", port: 143, secure: false, user: "owner", folders: ["INBOX"] },
    ...sealMailboxCredentials(id, options.credentials ?? "app-password", options.keys),
  });
  return { workspaceId: workspace.id, connectionId: row.id };
}

/** A source that serves what a test lines up and records what it was asked and given. */
function scriptedSource(pages: ((request: SourcePageRequest) => Awaited<ReturnType<MailboxSource["nextPage"]>>)[]) {
  const seen = { credentials: [] as string[], requests: [] as SourcePageRequest[], closed: 0 };
  const open: OpenMailboxSource = async (_connection, credentials) => {
    seen.credentials.push(credentials);
    return {
      nextPage: async (request) => {
        seen.requests.push(request);
        return pages.shift()!(request);
      },
      close: async () => {
        seen.closed++;
      },
    };
  };
  return { open, seen };
}

describe("syncMailboxPage", () => {
  it("opens the sealed credentials, reads from the stored position within the history window, and commits the page with the new position", async () => {
    const ids = await connection();
    const source = scriptedSource([
      () => ({ mails: [{ ref: "INBOX uid 1", raw: Buffer.from(eml(fixtures.threadStart)), labels: ["INBOX"] }], position: { uid: 1 }, complete: false }),
      () => ({ mails: [], position: { uid: 1, done: true }, complete: true }),
    ]);
    expect(await syncMailboxPage(database.db, { ...ids, mode: "backfill", now: NOW }, source.open)).toMatchObject({ state: "more", stored: 1 });
    expect(await syncMailboxPage(database.db, { ...ids, mode: "backfill", now: NOW }, source.open)).toMatchObject({ state: "complete", stored: 0 });
    expect(source.seen.credentials).toEqual(["app-password", "app-password"]);
    expect(source.seen.requests.map((request) => request.position)).toEqual([null, { uid: 1 }]);
    expect(source.seen.requests[0]!.since).toEqual(new Date("2026-11-07T12:00:00Z"));
    expect(source.seen.closed).toBe(2);
    const after = (await getMailboxConnection(database.db, ids))!;
    expect(after.cursor).toEqual({ pages: 2, source: { uid: 1, done: true } });
    expect(after.backfilledAt).toBeInstanceOf(Date);
    // Once the backfill is done, a backfill run has nothing to do and opens no connection.
    expect(await syncMailboxPage(database.db, { ...ids, mode: "backfill" }, source.open)).toMatchObject({ state: "complete" });
    expect(source.seen.credentials).toHaveLength(2);
  });

  it("moves the connection to reconnect with the server's reason when the credentials are refused", async () => {
    const ids = await connection();
    const source = scriptedSource([
      () => {
        throw new MailboxAuthError("invalid_grant: Token has been expired or revoked");
      },
    ]);
    expect(await syncMailboxPage(database.db, { ...ids, mode: "incremental" }, source.open)).toMatchObject({ state: "reconnect" });
    const after = (await getMailboxConnection(database.db, ids))!;
    expect(after).toMatchObject({ status: "reconnect" });
    expect(after.statusReason).toContain("invalid_grant: Token has been expired or revoked");
    // Nothing more is tried until the user connects again.
    expect(await syncMailboxPage(database.db, { ...ids, mode: "incremental" }, source.open)).toMatchObject({ state: "reconnect" });
  });

  it("lets network faults throw for the step's retry, leaving the cursor where it was", async () => {
    const ids = await connection();
    const source = scriptedSource([
      () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:143");
      },
    ]);
    await expect(syncMailboxPage(database.db, { ...ids, mode: "incremental" }, source.open)).rejects.toThrow("ECONNREFUSED");
    expect((await getMailboxConnection(database.db, ids))!).toMatchObject({ status: "active", cursor: null });
    expect(source.seen.closed).toBe(1);
  });

  it("re-seals credentials under the newest key while a key rotation is under way", async () => {
    const oldKey = Buffer.alloc(32, 1).toString("base64");
    const newKey = Buffer.alloc(32, 2).toString("base64");
    const previous = process.env.ENCRYPTION_KEYS;
    process.env.ENCRYPTION_KEYS = oldKey;
    try {
      const ids = await connection({ keys: secretKeys() });
      process.env.ENCRYPTION_KEYS = `${newKey},${oldKey}`;
      const source = scriptedSource([() => ({ mails: [], position: {}, complete: true })]);
      await syncMailboxPage(database.db, { ...ids, mode: "incremental" }, source.open);
      const after = (await getMailboxConnection(database.db, ids))!;
      expect(after.credentialsKeyId).toBe(secretKeys().keys[0]!.id);
      expect(openMailboxCredentials(after, secretKeys({ ENCRYPTION_KEYS: newKey }))).toBe("app-password");
    } finally {
      if (previous === undefined) delete process.env.ENCRYPTION_KEYS;
      else process.env.ENCRYPTION_KEYS = previous;
    }
  });

  it("marks credentials no configured key opens as an error, without calling the server", async () => {
    const ids = await connection({ keys: secretKeys({ ENCRYPTION_KEYS: Buffer.alloc(32, 9).toString("base64") }) });
    const source = scriptedSource([]);
    expect(await syncMailboxPage(database.db, { ...ids, mode: "incremental" }, source.open)).toMatchObject({ state: "error" });
    expect((await getMailboxConnection(database.db, ids))!.statusReason).toContain("which is no longer configured in ENCRYPTION_KEYS");
    expect(source.seen.credentials).toEqual([]);
  });
});
