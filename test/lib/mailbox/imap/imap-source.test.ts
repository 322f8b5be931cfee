import { and, eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, mailboxMessages } from "@/db/schema";
import { getMailboxConnection, insertMailboxConnection, type MailboxConnection } from "@/db/queries/mailbox-connections";
import { MAILBOX_MESSAGE_MAX_BYTES } from "@/core/mailbox/mailbox-limits";
import { openImapSource } from "@/lib/mailbox/imap/imap-source";
import { metrics } from "@/lib/observability/metrics";
import { sealMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import { MailboxAuthError } from "@/lib/mailbox/mailbox-source";
import { type SyncPageResult, syncMailboxPage } from "@/lib/mailbox/sync-mailbox-page";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { imapMailbox, withinWindow } from "@/test/fixtures/mailbox/imap-mailbox";
import { eml, OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { createTestDatabase } from "@/test/support/database";
import { type Dovecot, dovecotAvailability, startDovecot } from "@/test/support/dovecot";
import { freePort } from "@/test/support/free-port";

/**
 * The IMAP source against a real Dovecot on loopback, committed through syncMailboxPage as the
 * sync function runs it: the history window, newest-first backfill, incremental pick-up, a
 * UIDVALIDITY change, a changed password, and what is never done to the mailbox.
 */
const NOW = new Date();
const HISTORY_DAYS = 300;
const SPAN_DAYS = 400;
const PAGE = 100;

const availability = dovecotAvailability();
let dovecot: Dovecot;
let database: Database;

beforeAll(async () => {
  if (!availability.available) return;
  [dovecot, database] = await Promise.all([startDovecot(), createTestDatabase()]);
});
afterAll(async () => {
  await dovecot?.stop();
  await database?.close();
});

async function connect(options: { password?: string; folders?: string[]; port?: number } = {}): Promise<{ workspaceId: string; connectionId: string }> {
  const { workspace } = await createWorkspace(database.db, { name: "IMAP" });
  const id = crypto.randomUUID();
  await insertMailboxConnection(database.db, {
    id,
    workspaceId: workspace.id,
    kind: "imap",
    label: "owner@dovecot",
    ownerAddresses: [OWNER],
    storeBodies: false,
    historyDays: HISTORY_DAYS,
    settings: { kind: "imap", host: dovecot.host, port: options.port ?? dovecot.port, secure: false, user: dovecot.user, folders: options.folders ?? [] },
    ...sealMailboxCredentials(id, options.password ?? dovecot.password),
  });
  return { workspaceId: workspace.id, connectionId: id };
}

/** Pages until the mode reports nothing left, as the sync function's loop does. */
async function syncUntilDone(ids: { workspaceId: string; connectionId: string }, mode: "backfill" | "incremental"): Promise<SyncPageResult[]> {
  const pages: SyncPageResult[] = [];
  for (let n = 0; n < 50; n++) {
    const page = await syncMailboxPage(database.db, { ...ids, mode, pageMessages: PAGE, now: NOW }, openImapSource);
    pages.push(page);
    if (page.state !== "more") return pages;
  }
  throw new Error("the sync did not finish in 50 pages");
}

const storedIds = async (workspaceId: string) =>
  (await database.db.select({ messageId: mailboxMessages.messageId }).from(mailboxMessages).where(eq(mailboxMessages.workspaceId, workspaceId))).map((row) => row.messageId).sort();

async function withClient<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

describe.skipIf(!availability.available)("the IMAP source against Dovecot", () => {
  it("backfills INBOX and the \\Sent folder newest first within the history window, then picks up new mail incrementally", { timeout: 60_000 }, async () => {
    const mailbox = imapMailbox({ inbox: 200, sent: 100, now: NOW, spanDays: SPAN_DAYS, tag: "window" });
    for (const folder of ["INBOX", "Sent"] as const) dovecot.deliver(folder, mailbox.filter((message) => message.folder === folder));
    const since = new Date(NOW.getTime() - HISTORY_DAYS * 86_400_000);
    const expected = withinWindow(mailbox, since);
    expect(expected.length).toBeGreaterThan(150);
    expect(expected.length).toBeLessThan(mailbox.length);
    const ids = await connect();

    // Newest first: the first page is INBOX's most recent messages.
    const first = await syncMailboxPage(database.db, { ...ids, mode: "backfill", pageMessages: PAGE, now: NOW }, openImapSource);
    expect(first).toMatchObject({ state: "more", stored: PAGE });
    const newestInbox = mailbox.filter((message) => message.folder === "INBOX").slice(0, PAGE);
    expect(await storedIds(ids.workspaceId)).toEqual(newestInbox.map((message) => message.messageId).sort());

    const backfill = [first, ...(await syncUntilDone(ids, "backfill"))];
    expect(backfill.at(-1)!.state).toBe("complete");
    expect(backfill.length).toBe(Math.ceil(expected.length / PAGE) + (expected.length % PAGE === 0 ? 1 : 0));
    expect(await storedIds(ids.workspaceId)).toEqual(expected.map((message) => message.messageId).sort());
    const connection = (await getMailboxConnection(database.db, ids))!;
    expect(connection.backfilledAt).toBeInstanceOf(Date);
    const position = connection.cursor!.source as { folders: Record<string, { uidValidity: string; uidNext: number; backfillDone: boolean; highestModseq?: string }> };
    expect(Object.keys(position.folders).sort()).toEqual(["INBOX", "Sent"]);
    expect(position.folders.INBOX).toMatchObject({ uidNext: 201, backfillDone: true, highestModseq: expect.any(String) });
    const sent = await database.db.select({ direction: mailboxMessages.direction, labels: mailboxMessages.labels }).from(mailboxMessages).where(and(eq(mailboxMessages.workspaceId, ids.workspaceId), eq(mailboxMessages.direction, "sent")));
    expect(sent.length).toBe(expected.filter((message) => message.folder === "Sent").length);
    expect(sent.every((row) => row.labels.includes("Sent"))).toBe(true);

    // Nothing new: an incremental page examines nothing and stores nothing.
    expect(await syncUntilDone(ids, "incremental")).toMatchObject([{ state: "complete", seen: 0 }]);

    const newcomer = "new.person@fresh.example";
    dovecot.deliver("INBOX", [
      { raw: eml({ headers: { From: `New Person <${newcomer}>`, To: OWNER, Subject: "Hello", Date: NOW.toUTCString(), "Message-ID": "<fresh-1@fresh.example>" }, body: "Hi!\n" }), receivedAt: NOW },
    ]);
    expect(await syncUntilDone(ids, "incremental")).toMatchObject([{ state: "complete", seen: 1, stored: 1, contactsCreated: 1 }]);
    expect(await database.db.$count(contacts, and(eq(contacts.workspaceId, ids.workspaceId), eq(contacts.email, newcomer)))).toBe(1);

    // Read with EXAMINE and BODY.PEEK: the owner's mail is still unread.
    const seen = await withClient(async (client) => {
      await client.mailboxOpen("INBOX", { readOnly: true });
      return (await client.fetchAll("1:*", { flags: true })).filter((message) => message.flags?.has("\\Seen")).length;
    });
    expect(seen).toBe(0);
  });

  it("reads a folder again from scratch when its UIDVALIDITY changes, storing no message twice", { timeout: 60_000 }, async () => {
    const mailbox = imapMailbox({ inbox: 120, sent: 0, now: NOW, spanDays: 30, tag: "uidvalidity" });
    dovecot.deliver("Archive", mailbox);
    const ids = await connect({ folders: ["Archive"] });
    await syncUntilDone(ids, "backfill");
    const before = (await getMailboxConnection(database.db, ids))!;
    expect(await storedIds(ids.workspaceId)).toHaveLength(120);

    dovecot.resetUidValidity("Archive");
    const resync = await syncUntilDone(ids, "incremental");
    const after = (await getMailboxConnection(database.db, ids))!;
    const folderOf = (row: MailboxConnection) => (row.cursor!.source as { folders: Record<string, { uidValidity: string; backfillDone: boolean }> }).folders.Archive!;
    expect(folderOf(after).uidValidity).not.toBe(folderOf(before).uidValidity);
    expect(folderOf(after).backfillDone).toBe(true);
    // Every message was read again and recognised by its Message-ID.
    expect(resync.reduce((sum, page) => sum + page.seen, 0)).toBe(120);
    expect(resync.reduce((sum, page) => sum + page.stored, 0)).toBe(0);
    expect(await storedIds(ids.workspaceId)).toHaveLength(120);
  });

  it("cuts a huge message at the byte cap instead of downloading it whole", { timeout: 30_000 }, async () => {
    const attachment = Buffer.alloc(3 * MAILBOX_MESSAGE_MAX_BYTES, "A").toString("base64").replace(/.{76}/g, "$&\r\n");
    const raw = eml({
      headers: { From: "Big Sender <big@files.example>", To: OWNER, Subject: "The files", Date: NOW.toUTCString(), "Message-ID": "<huge-1@files.example>", "Content-Type": "multipart/mixed; boundary=b" },
      body: `--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`,
    });
    dovecot.deliver("Huge", [{ raw, receivedAt: NOW }]);
    const ids = await connect({ folders: ["Huge"] });
    const connection = (await getMailboxConnection(database.db, ids))!;
    const source = await openImapSource(connection, dovecot.password, { saveCredentials: async () => {} });
    try {
      const page = await source.nextPage({ position: null, mode: "backfill", maxMessages: PAGE, since: new Date(NOW.getTime() - 86_400_000) });
      expect(page.mails).toHaveLength(1);
      expect(page.mails[0]!.ref).toBe("Huge uid 1");
      expect(page.mails[0]!.raw.length).toBe(MAILBOX_MESSAGE_MAX_BYTES);
    } finally {
      await source.close();
    }
    expect(await syncUntilDone(ids, "backfill")).toMatchObject([{ state: "complete", stored: 1, skipped: 0 }]);
  });

  it("refuses a wrong password with the server's text, and leaves a refused connection to a plain (retried) error", async () => {
    const ids = await connect({ folders: ["INBOX"] });
    const connection = (await getMailboxConnection(database.db, ids))!;
    const refused = openImapSource(connection, "not-the-password", { saveCredentials: async () => {} });
    await expect(refused).rejects.toBeInstanceOf(MailboxAuthError);
    await expect(refused).rejects.toThrow(/authentication failed/i);

    const closedPort = await freePort();
    const unreachable = openImapSource({ ...connection, settings: { ...connection.settings!, port: closedPort } as MailboxConnection["settings"] }, dovecot.password, { saveCredentials: async () => {} });
    await expect(unreachable).rejects.toThrow(/ECONNREFUSED/);
    await expect(unreachable).rejects.not.toBeInstanceOf(MailboxAuthError);
  });

  it("moves the connection to reconnect with the server's reason once the password changed, and syncs nothing more", async () => {
    const ids = await connect({ folders: ["INBOX"] });
    const reconnects = async () => (await metrics().mailboxSyncPages.get()).values.find((v) => v.labels.kind === "imap" && v.labels.mode === "incremental" && v.labels.outcome === "reconnect")?.value ?? 0;
    const before = await reconnects();
    const original = dovecot.password;
    await dovecot.setPassword("changed-by-the-owner");
    try {
      expect(await syncMailboxPage(database.db, { ...ids, mode: "incremental", now: NOW }, openImapSource)).toMatchObject({ state: "reconnect" });
      const after = (await getMailboxConnection(database.db, ids))!;
      expect(after.status).toBe("reconnect");
      expect(after.statusReason).toMatch(/The server refused the stored credentials: .*Authentication failed/i);
      expect(await syncMailboxPage(database.db, { ...ids, mode: "incremental", now: NOW }, openImapSource)).toMatchObject({ state: "reconnect", seen: 0 });
      // Both pages count as `reconnect` in the metrics; the second found the status and asked the server nothing.
      expect((await reconnects()) - before).toBe(2);
    } finally {
      await dovecot.setPassword(original);
    }
  });
});
