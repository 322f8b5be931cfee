import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection, insertMailboxConnection } from "@/db/queries/mailbox-connections";
import { listMailboxMessages } from "@/db/queries/mailbox-messages";
import { MAILBOX_MESSAGE_MAX_BYTES } from "@/core/mailbox/mailbox-limits";
import type { GmailTokens } from "@/lib/mailbox/gmail/gmail-client";
import { openMailboxCredentials, sealMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import type { SyncMode } from "@/lib/mailbox/mailbox-source";
import { mailboxSourceOpener } from "@/lib/mailbox/open-mailbox-source";
import { syncMailboxPage } from "@/lib/mailbox/sync-mailbox-page";
import { ProviderError } from "@/lib/providers/errors";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeGmail, startFakeGmail } from "@/test/fakes/fake-gmail";
import { OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { createTestDatabase } from "@/test/support/database";

/**
 * The Gmail source through syncMailboxPage, the real client library and a loopback fake of
 * Google: what a sync stores, what it asks Google, and what it does when Google refuses.
 */
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const fakes: FakeGmail[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 30;

const mail = (n: number, extra = "") =>
  `From: Person ${n} <person${n}@corp.example>\r\nTo: ${OWNER}\r\nSubject: Hello ${n}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <gmail-${n}@corp.example>\r\n\r\nHi ${n}.\r\n${extra}`;

/** A fake Gmail holding `ages` (days ago, one message each, numbered in order), and a gmail connection to it. */
async function setup(options: { ages: number[]; tokens?: (fake: FakeGmail) => GmailTokens }) {
  const fake = await startFakeGmail({ address: OWNER });
  fakes.push(fake);
  vi.stubEnv("GOOGLE_CLIENT_ID", fake.clientId);
  vi.stubEnv("GOOGLE_CLIENT_SECRET", fake.clientSecret);
  vi.stubEnv("GOOGLE_OAUTH_AUTH_URL", fake.authUrl);
  vi.stubEnv("GOOGLE_OAUTH_TOKEN_URL", fake.tokenUrl);
  vi.stubEnv("GMAIL_API_URL", fake.apiUrl);
  options.ages.forEach((days, n) => fake.addMessage({ raw: mail(n), internalDate: new Date(Date.now() - days * DAY_MS) }));

  const { workspace } = await createWorkspace(database.db, { name: "Gmail" });
  const id = crypto.randomUUID();
  const tokens = options.tokens?.(fake) ?? fake.issueTokens();
  await insertMailboxConnection(database.db, {
    id,
    workspaceId: workspace.id,
    kind: "gmail",
    label: OWNER,
    ownerAddresses: [OWNER],
    storeBodies: false,
    historyDays: HISTORY_DAYS,
    settings: { kind: "gmail", address: OWNER },
    ...sealMailboxCredentials(id, JSON.stringify(tokens)),
  });
  const ids = { workspaceId: workspace.id, connectionId: id };
  const sync = (mode: SyncMode, pageMessages = 200) => syncMailboxPage(database.db, { ...ids, mode, pageMessages }, mailboxSourceOpener("gmail"));
  const stored = async () => (await listMailboxMessages(database.db, { workspaceId: workspace.id, limit: 1000 })).map((row) => row.subject).sort();
  const connection = async () => (await getMailboxConnection(database.db, ids))!;
  const apiCalls = () => fake.requests.filter((request) => request.path.startsWith("/gmail/"));
  return { fake, ids, tokens, sync, stored, connection, apiCalls };
}

const subjects = (numbers: number[]) => numbers.map((n) => `Hello ${n}`).sort();

describe("the Gmail source", () => {
  it("backfills the history window in pages, newest first, leaving older mail out; then picks new mail up from the history id", async () => {
    const { fake, sync, stored, connection, apiCalls } = await setup({ ages: [60, 40, 29, 20, 10, 5, 3, 2, 1] });
    const startHistoryId = String(fake.historyId());

    expect(await sync("backfill", 3)).toMatchObject({ state: "more", stored: 3 });
    expect(await sync("backfill", 3)).toMatchObject({ state: "more", stored: 3 });
    expect(await sync("backfill", 3)).toMatchObject({ state: "complete", stored: 1 });
    expect(await stored()).toEqual(subjects([2, 3, 4, 5, 6, 7, 8]));
    const lists = apiCalls().filter((request) => request.path.endsWith("/messages"));
    expect(lists).toHaveLength(3);
    // One window for the whole walk, fixed when it began: the page tokens belong to that query.
    expect(new Set(lists.map((request) => request.query.q)).size).toBe(1);
    const after = Number(String(lists[0]!.query.q).replace("after:", "")) * 1000;
    expect(Math.abs(after - (Date.now() - HISTORY_DAYS * DAY_MS))).toBeLessThan(60_000);
    expect(lists.map((request) => request.query.maxResults)).toEqual(["3", "3", "3"]);
    expect(apiCalls().filter((request) => /\/messages\/\w+$/.test(request.path)).every((request) => request.query.format === "raw")).toBe(true);
    const done = await connection();
    expect(done.backfilledAt).toBeInstanceOf(Date);
    expect(done.cursor!.source).toMatchObject({ historyId: startHistoryId });
    const messages = await listMailboxMessages(database.db, { workspaceId: done.workspaceId, limit: 1 });
    expect(messages[0]!.labels).toEqual(["INBOX"]);

    fake.addMessage({ raw: mail(20), internalDate: new Date() });
    fake.addMessage({ raw: mail(21), internalDate: new Date(), labelIds: ["SENT"] });
    fake.addMessage({ raw: mail(22), internalDate: new Date(), labelIds: ["DRAFT"] });
    expect(await sync("incremental")).toMatchObject({ state: "complete", stored: 2 });
    expect(await stored()).toEqual(subjects([2, 3, 4, 5, 6, 7, 8, 20, 21]));
    const history = apiCalls().filter((request) => request.path.endsWith("/history"));
    expect(history.map((request) => request.query)).toEqual([expect.objectContaining({ startHistoryId, historyTypes: "messageAdded" })]);
    expect((await connection()).cursor!.source).toMatchObject({ historyId: String(fake.historyId()) });
    // Nothing new: one history call, nothing fetched.
    const before = apiCalls().length;
    expect(await sync("incremental")).toMatchObject({ state: "complete", stored: 0 });
    expect(apiCalls().length).toBe(before + 1);
  });

  it("reads a long history in pages of the sync's size", async () => {
    const { fake, sync, stored } = await setup({ ages: [1] });
    expect(await sync("backfill")).toMatchObject({ state: "complete", stored: 1 });
    for (let n = 30; n < 35; n++) fake.addMessage({ raw: mail(n), internalDate: new Date() });
    expect(await sync("incremental", 2)).toMatchObject({ state: "more", stored: 2 });
    expect(await sync("incremental", 2)).toMatchObject({ state: "more", stored: 2 });
    expect(await sync("incremental", 2)).toMatchObject({ state: "complete", stored: 1 });
    expect(await stored()).toEqual(subjects([0, 30, 31, 32, 33, 34]));
  });

  it("refreshes an access token Google no longer takes once, and stores the new one sealed", async () => {
    const { fake, sync, stored, connection, tokens, apiCalls } = await setup({ ages: [2, 1] });
    fake.expireAccessTokens();
    expect(await sync("backfill")).toMatchObject({ state: "complete", stored: 2 });
    expect(fake.grants.refresh_token).toBe(1);
    expect(await stored()).toEqual(subjects([0, 1]));
    // The refused call was retried once with the new token; every later call used it.
    const statuses = apiCalls().map((request) => request.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(1);
    const row = await connection();
    const saved = JSON.parse(openMailboxCredentials(row)) as GmailTokens;
    expect(saved.refresh_token).toBe(tokens.refresh_token);
    expect(saved.access_token).not.toBe(tokens.access_token);
    expect(apiCalls().at(-1)!.authorization).toBe(`Bearer ${saved.access_token}`);
    expect(saved.expiry_date).toBeGreaterThan(Date.now());
    expect(row.credentials).not.toContain(saved.access_token!);
    expect(row.credentials).not.toContain(saved.refresh_token);

    // The next page starts with the stored token: no refresh.
    fake.addMessage({ raw: mail(5), internalDate: new Date() });
    expect(await sync("incremental")).toMatchObject({ stored: 1 });
    expect(fake.grants.refresh_token).toBe(1);
  });

  it("refreshes a token it knows has expired before calling, without a refused call", async () => {
    const { fake, sync, apiCalls } = await setup({ ages: [1], tokens: (fake) => ({ ...fake.issueTokens(), expiry_date: Date.now() - 1000 }) });
    expect(await sync("backfill")).toMatchObject({ state: "complete", stored: 1 });
    expect(fake.grants.refresh_token).toBe(1);
    expect(apiCalls().every((request) => request.status === 200)).toBe(true);
  });

  it.each([
    ["after the access token expired", (fake: FakeGmail) => (fake.revokeAccess(), fake.expireAccessTokens())],
    ["while the access token looked valid", (fake: FakeGmail) => fake.revokeAccess()],
  ])("moves a revoked connection to reconnect with Google's reason %s: one refresh, then no more calls", async (_name, revoke) => {
    const { fake, sync, connection } = await setup({ ages: [1] });
    revoke(fake);
    expect(await sync("backfill")).toMatchObject({ state: "reconnect", stored: 0 });
    expect(fake.grants.refresh_token).toBe(1);
    const row = await connection();
    expect(row.status).toBe("reconnect");
    expect(row.statusReason).toContain("invalid_grant: Token has been expired or revoked.");
    expect(row.cursor).toBeNull();
    const calls = fake.requests.length;
    expect(await sync("incremental")).toMatchObject({ state: "reconnect" });
    expect(fake.requests.length).toBe(calls);
  });

  it("resyncs from shortly before the last sync when Google no longer has the history id, storing nothing twice", async () => {
    const { fake, sync, stored, connection } = await setup({ ages: [20, 0.5, 0.2] });
    expect(await sync("backfill")).toMatchObject({ state: "complete", stored: 3 });
    fake.addMessage({ raw: mail(7), internalDate: new Date() });
    fake.forgetHistory();

    const resync = await sync("incremental");
    // The listing since a day before the last sync reads the two recent messages again, and the new one.
    expect(resync).toMatchObject({ state: "complete", seen: 3, stored: 1, duplicates: 2 });
    expect(await stored()).toEqual(subjects([0, 1, 2, 7]));
    expect((await connection()).cursor!.source).toEqual(expect.objectContaining({ historyId: String(fake.historyId()) }));
    expect((await connection()).cursor!.source).not.toHaveProperty("resync");
    expect(fake.requests.filter((request) => request.path.endsWith("/history")).map((request) => request.status)).toEqual([404]);

    // From the new history id on, as before.
    fake.addMessage({ raw: mail(8), internalDate: new Date() });
    expect(await sync("incremental")).toMatchObject({ state: "complete", stored: 1, duplicates: 0 });
    expect(await stored()).toEqual(subjects([0, 1, 2, 7, 8]));
  });

  it("stores an oversized message by its headers alone, reading no more of it than the cap", async () => {
    const { fake, sync, ids } = await setup({ ages: [1] });
    const big = fake.addMessage({ raw: mail(1, "x".repeat(MAILBOX_MESSAGE_MAX_BYTES + 1024)), internalDate: new Date() });
    expect(await sync("backfill")).toMatchObject({ state: "complete", stored: 2, skipped: 0 });
    const row = (await listMailboxMessages(database.db, { workspaceId: ids.workspaceId, limit: 10 })).find((message) => message.subject === "Hello 1")!;
    expect(row.fromAddress).toEqual({ name: "Person 1", address: "person1@corp.example" });
    expect(fake.requests.filter((request) => request.path.endsWith(`/messages/${big}`)).map((request) => request.query.format)).toEqual(["raw", "metadata"]);
  });

  it("leaves rate limits and server errors to the step's retry, with Google's Retry-After, the cursor unmoved", async () => {
    const { fake, sync, connection } = await setup({ ages: [1] });
    fake.failNext(1, 429, { "retry-after": "7" });
    const limited = await sync("backfill").catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited).toMatchObject({ kind: "rate-limited", details: { status: 429, retryAfterMs: 7000 } });
    fake.failNext(1, 503);
    await expect(sync("backfill")).rejects.toMatchObject({ kind: "transient", details: { status: 503 } });
    expect(await connection()).toMatchObject({ status: "active", cursor: null });
    expect(await sync("backfill")).toMatchObject({ state: "complete", stored: 1 });
  });
});
