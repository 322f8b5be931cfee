import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gmailApi, gmailOAuthClient } from "@/lib/mailbox/gmail/gmail-client";
import type { GmailConfig } from "@/lib/mailbox/gmail/gmail-config";
import { gmailStatus } from "@/lib/mailbox/gmail/gmail-failure";
import { type FakeGmail, GMAIL_READONLY_SCOPE, startFakeGmail } from "./fake-gmail";

/** The fake refuses what Google refuses, to the real client library, so a test passing against it means something. */
const REDIRECT_URI = "http://127.0.0.1:3999/mailbox/gmail/callback";
let fake: FakeGmail;
let config: GmailConfig;

const mail = (n: number) => `From: Person ${n} <p${n}@corp.example>\r\nTo: owner@sendline.test\r\nSubject: Hello ${n}\r\nMessage-ID: <m${n}@corp.example>\r\n\r\nBody ${n}\r\n`;
const DAY = 86_400_000;
const NOW = Date.now();

beforeAll(async () => {
  fake = await startFakeGmail({ redirectUris: [REDIRECT_URI] });
  config = { clientId: fake.clientId, clientSecret: fake.clientSecret, authUrl: fake.authUrl, tokenUrl: fake.tokenUrl, apiUrl: fake.apiUrl, redirectUri: REDIRECT_URI };
  for (let n = 0; n < 5; n++) fake.addMessage({ raw: mail(n), internalDate: new Date(NOW - (5 - n) * DAY) });
});
afterAll(() => fake.stop());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ status: 0, data: null as unknown }),
    (error: unknown) => ({ status: gmailStatus(error), data: (error as { response?: { data?: unknown } }).response?.data }),
  );

describe("fake Google OAuth", () => {
  it("consents with a redirect carrying a one-time code and the state, which the client exchanges for offline tokens", async () => {
    const client = gmailOAuthClient(config);
    const url = client.generateAuthUrl({ access_type: "offline", prompt: "consent", scope: [GMAIL_READONLY_SCOPE], state: "s-1" });
    const consent = await fetch(url, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get("state")).toBe("s-1");
    const code = back.searchParams.get("code")!;
    const { tokens } = await client.getToken(code);
    expect(tokens).toMatchObject({ refresh_token: expect.stringMatching(/^1\/\//), access_token: expect.stringMatching(/^ya29\./), scope: GMAIL_READONLY_SCOPE });
    expect(tokens.expiry_date).toBeGreaterThan(Date.now());
    // A code is good once.
    expect(await failure(client.getToken(code))).toMatchObject({ status: 400, data: { error: "invalid_grant" } });
  });

  it.each([
    ["an unregistered redirect URI", { redirect_uri: "http://127.0.0.1:1/elsewhere" }, 400, "redirect_uri_mismatch"],
    ["another client", { client_id: "someone-else" }, 401, "invalid_client"],
    ["no Gmail scope", { scope: "openid" }, 400, "invalid_scope"],
  ])("refuses consent for %s", async (_name, change, status, error) => {
    const url = new URL(gmailOAuthClient(config).generateAuthUrl({ access_type: "offline", scope: [GMAIL_READONLY_SCOPE] }));
    for (const [key, value] of Object.entries(change)) url.searchParams.set(key, value);
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
  });

  it("exchanges a code only for its redirect URI and with the client's secret, and gives no refresh token without offline access", async () => {
    const client = gmailOAuthClient(config);
    expect(await failure(client.getToken({ code: fake.issueCode({ redirectUri: REDIRECT_URI }), redirect_uri: "http://127.0.0.1:1/x" }))).toMatchObject({ status: 400, data: { error: "redirect_uri_mismatch" } });
    const wrongSecret = gmailOAuthClient({ ...config, clientSecret: "GOCSPX-wrong" });
    expect(await failure(wrongSecret.getToken(fake.issueCode({ redirectUri: REDIRECT_URI })))).toMatchObject({ status: 401, data: { error: "invalid_client" } });
    const online = await client.getToken(fake.issueCode({ redirectUri: REDIRECT_URI, offline: false }));
    expect(online.tokens.refresh_token).toBeUndefined();
  });

  it("refreshes until the access is revoked, then answers invalid_grant", async () => {
    const own = await startFakeGmail();
    try {
      const client = gmailOAuthClient({ ...config, clientId: own.clientId, clientSecret: own.clientSecret, tokenUrl: own.tokenUrl, apiUrl: own.apiUrl });
      client.setCredentials({ refresh_token: own.issueTokens().refresh_token });
      const { credentials } = await client.refreshAccessToken();
      expect(credentials.access_token).toMatch(/^ya29\./);
      own.revokeAccess();
      expect(await failure(client.refreshAccessToken())).toMatchObject({ status: 400, data: { error: "invalid_grant", error_description: "Token has been expired or revoked." } });
      expect(own.grants.refresh_token).toBe(2);
    } finally {
      await own.stop();
    }
  });
});

describe("fake Gmail API", () => {
  const api = () => {
    const client = gmailOAuthClient(config, { ...fake.issueTokens(), expiry_date: Date.now() + 3_600_000 });
    return gmailApi(config, client);
  };

  it("needs a live Bearer token with a Gmail scope on every call, as Google words it", async () => {
    const anonymous = gmailApi(config, gmailOAuthClient(config, { refresh_token: "1//unknown", access_token: "ya29.unknown", expiry_date: Date.now() + 3_600_000 }));
    expect(await failure(anonymous.users.getProfile({ userId: "me" }))).toMatchObject({ status: 401, data: { error: { status: "UNAUTHENTICATED" } } });
    const scoped = gmailApi(config, gmailOAuthClient(config, { ...fake.issueTokens({ scope: "openid email" }), expiry_date: Date.now() + 3_600_000 }));
    expect(await failure(scoped.users.getProfile({ userId: "me" }))).toMatchObject({ status: 403, data: { error: { errors: [{ reason: "insufficientPermissions" }] } } });
    const live = api();
    expect((await live.users.getProfile({ userId: "me" })).data).toMatchObject({ emailAddress: fake.address, historyId: String(fake.historyId()) });
    fake.expireAccessTokens();
    expect(await failure(live.users.getProfile({ userId: "me" }))).toMatchObject({ status: 401 });
  });

  it("lists newest first after a date, in pages bound to their query", async () => {
    const gmail = api();
    const after = Math.floor((NOW - 3.5 * DAY) / 1000);
    const first = await gmail.users.messages.list({ userId: "me", q: `after:${after}`, maxResults: 2 });
    expect(first.data.messages!.map((m) => m.id)).toEqual([fake.messages[4]!.id, fake.messages[3]!.id]);
    const second = await gmail.users.messages.list({ userId: "me", q: `after:${after}`, maxResults: 2, pageToken: first.data.nextPageToken! });
    expect(second.data).toEqual({ messages: [{ id: fake.messages[2]!.id, threadId: fake.messages[2]!.threadId }], resultSizeEstimate: 1 });
    expect(await failure(gmail.users.messages.list({ userId: "me", q: "after:1", pageToken: first.data.nextPageToken! }))).toMatchObject({ status: 400 });
    expect(await failure(gmail.users.messages.list({ userId: "me", maxResults: 501 }))).toMatchObject({ status: 400 });
  });

  it("gives a message raw (base64url) or as its headers, and 404 for an unknown id", async () => {
    const gmail = api();
    const id = fake.messages[0]!.id;
    const raw = await gmail.users.messages.get({ userId: "me", id, format: "raw" });
    expect(Buffer.from(raw.data.raw!, "base64url").toString()).toBe(mail(0));
    expect(raw.data).toMatchObject({ labelIds: ["INBOX"], sizeEstimate: mail(0).length });
    const metadata = await gmail.users.messages.get({ userId: "me", id, format: "metadata" });
    expect(metadata.data.payload!.headers).toContainEqual({ name: "Subject", value: "Hello 0" });
    expect(await failure(gmail.users.messages.get({ userId: "me", id: "ffff", format: "raw" }))).toMatchObject({ status: 404 });
  });

  it("lists history after a start id, and answers 404 for a start older than the history it keeps", async () => {
    const gmail = api();
    const start = fake.historyId();
    const added = fake.addMessage({ raw: mail(9), internalDate: new Date() });
    const history = await gmail.users.history.list({ userId: "me", startHistoryId: String(start), historyTypes: ["messageAdded"] });
    expect(history.data.history!.flatMap((record) => record.messagesAdded!.map((entry) => entry.message!.id))).toEqual([added]);
    expect(history.data.historyId).toBe(String(fake.historyId()));
    fake.forgetHistory();
    expect(await failure(gmail.users.history.list({ userId: "me", startHistoryId: String(start) }))).toMatchObject({ status: 404 });
    expect((await gmail.users.history.list({ userId: "me", startHistoryId: String(fake.historyId()) })).data).toEqual({ historyId: String(fake.historyId()) });
  });

  it("fails calls on command with the status and headers asked for", async () => {
    const gmail = api();
    fake.failNext(1, 429, { "retry-after": "7" });
    const failed = await gmail.users.getProfile({ userId: "me" }).catch((error: { response: { status: number; headers: Headers } }) => error.response);
    expect(failed).toMatchObject({ status: 429 });
    expect((failed as { headers: Headers }).headers.get("retry-after")).toBe("7");
  });
});
