import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listMailboxConnections, setMailboxConnectionStatus } from "@/db/queries/mailbox-connections";
import type { GmailTokens } from "@/lib/mailbox/gmail/gmail-client";
import { signGmailState } from "@/lib/mailbox/gmail/gmail-oauth-state";
import { openMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeGmail, startFakeGmail } from "@/test/fakes/fake-gmail";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { collectLogLines } from "@/test/support/log-lines";

// Events the callback sends land here; the Inngest client reads INNGEST_DEV when first loaded.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const authorize = await import("@/app/api/v1/mailbox/gmail/authorize/route");
const { GET } = await import("@/app/(dashboard)/mailbox/gmail/callback/route");

const PUBLIC_URL = "http://127.0.0.1:3000";
const CALLBACK = `${PUBLIC_URL}/mailbox/gmail/callback`;
let database: Database;
let fake: FakeGmail;
let apiKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  fake = await startFakeGmail({ address: "Owner@Gmail.test", redirectUris: [CALLBACK] });
});
afterAll(async () => {
  await fake.stop();
  await recorder.stop();
  await database.close();
});
beforeEach(async () => {
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Gmail callback" }));
  const env = { PUBLIC_URL, GOOGLE_CLIENT_ID: fake.clientId, GOOGLE_CLIENT_SECRET: fake.clientSecret, GOOGLE_OAUTH_AUTH_URL: fake.authUrl, GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl, GMAIL_API_URL: fake.apiUrl };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});
afterEach(() => vi.unstubAllEnvs());

/** The user's round trip: our authorize URL, Google's consent (the fake consents), and the query Google sends the browser back with. */
async function consent(query = "") {
  const { body } = await callRoute(authorize.GET, { path: `/api/v1/mailbox/gmail/authorize${query}`, apiKey });
  const google = await fetch(body.url, { redirect: "manual" });
  const back = new URL(google.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  return back.search;
}
const callback = (search: string) => callRoute(GET, { path: `/mailbox/gmail/callback${search}` });
const connections = () => listMailboxConnections(database.db, { workspaceId, limit: 10 });
const syncEvents = (connectionId: string) =>
  recorder.events.filter((event) => event.name === "mailbox/sync.requested" && event.data.connectionId === connectionId).map((event) => event.data.mode);
const notice = (location: string | null) => Object.fromEntries(new URL(location!, PUBLIC_URL).searchParams);

describe("GET /mailbox/gmail/callback", () => {
  it("exchanges the code, stores the tokens sealed in a new gmail connection with the state's options, and sends the user to /mailbox with a notice, revealing and logging nothing secret", async () => {
    const logs = collectLogLines();
    const search = await consent("?label=Sales&storeBodies=true&historyDays=90");
    const response = await callback(search);
    logs.stop();

    expect(response.status).toBe(303);
    expect(notice(response.response.headers.get("location"))).toEqual({ workspace: workspaceId, notice: "Gmail owner@gmail.test connected: its mail is being read." });
    expect(response.response.headers.get("referrer-policy")).toBe("no-referrer");
    const [connection, ...others] = await connections();
    expect(others).toEqual([]);
    expect(connection).toMatchObject({
      kind: "gmail",
      status: "active",
      label: "Sales",
      ownerAddresses: ["owner@gmail.test"],
      storeBodies: true,
      historyDays: 90,
      settings: { kind: "gmail", address: "owner@gmail.test" },
    });
    // Its sync starts at once: the new mail, and the history window.
    expect(syncEvents(connection!.id)).toEqual(["incremental", "backfill"]);
    const tokens = JSON.parse(openMailboxCredentials(connection!)) as GmailTokens;
    expect(tokens).toEqual({ refresh_token: expect.stringMatching(/^1\/\//), access_token: expect.stringMatching(/^ya29\./), expiry_date: expect.any(Number) });
    // The access token stored is the one Google issued for this code (the profile was read with it).
    expect(fake.requests.findLast((request) => request.path.endsWith("/profile"))!.authorization).toBe(`Bearer ${tokens.access_token}`);

    const code = new URLSearchParams(search).get("code")!;
    const secrets = [tokens.refresh_token, tokens.access_token!, code, fake.clientSecret];
    const shown = [connection!.credentials!, await response.response.clone().text(), JSON.stringify([...response.response.headers]), JSON.stringify(logs.lines())];
    for (const secret of secrets) for (const text of shown) expect(text).not.toContain(secret);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ msg: "mailbox: gmail connected", workspaceId, connectionId: connection!.id, reconnected: false }));
  });

  it.each([
    ["a state we did not sign", () => `?code=x&state=${"A".repeat(40)}.${"B".repeat(22)}`, "Not a valid Gmail sign-in"],
    ["a tampered state", async () => (await consent()).replace(/state=([^&.]+)/, (_, payload: string) => `state=${payload.slice(0, -2)}xx`), "Not a valid Gmail sign-in"],
    [
      "an expired state",
      () => `?code=x&state=${signGmailState({ workspaceId, label: null, storeBodies: false, historyDays: 30, expiresAt: new Date(Date.now() - 1000) })}`,
      "This Gmail sign-in has expired",
    ],
    ["no state", () => "?code=x", "Not a valid Gmail sign-in"],
  ])("answers 400 for %s, before asking Google anything", async (_name, search, title) => {
    const exchanges = fake.grants.authorization_code;
    const response = await callback(await search());
    expect(response.status).toBe(400);
    expect(response.body).toContain(title);
    expect(fake.grants.authorization_code).toBe(exchanges);
    expect(await connections()).toEqual([]);
  });

  it.each([
    ["the user declined", (state: string) => `?error=access_denied&state=${state}`, "Gmail was not connected: access was not granted."],
    ["Google refuses the code (issued for another redirect URI)", (state: string) => `?code=${fake.issueCode({ redirectUri: "http://127.0.0.1:1/other" })}&state=${state}`, "Google did not accept the sign-in (redirect_uri_mismatch): connect Gmail again."],
    ["the Gmail scope was unticked", (state: string) => `?code=${fake.issueCode({ redirectUri: CALLBACK, scope: "openid email" })}&state=${state}`, "Read access to Gmail was not granted"],
  ])("sends the user back with the problem when %s, creating nothing", async (_name, search, problem) => {
    const state = new URLSearchParams(await consent()).get("state")!;
    const response = await callback(search(encodeURIComponent(state)));
    expect(response.status).toBe(303);
    expect(notice(response.response.headers.get("location")).problem).toContain(problem);
    expect(await connections()).toEqual([]);
  });

  it("renews the tokens of the account's connection waiting for a reconnect, instead of adding another", async () => {
    await callback(await consent());
    const [first] = await connections();
    await setMailboxConnectionStatus(database.db, { workspaceId, connectionId: first!.id, from: ["active"], to: "reconnect", reason: "invalid_grant" });
    const before = JSON.parse(openMailboxCredentials(first!)) as GmailTokens;

    const response = await callback(await consent());
    expect(notice(response.response.headers.get("location")).notice).toBe("Gmail owner@gmail.test reconnected: syncing resumes.");
    const [again, ...others] = await connections();
    expect(others).toEqual([]);
    expect(again).toMatchObject({ id: first!.id, status: "active", statusReason: null });
    expect(syncEvents(first!.id).slice(-2)).toEqual(["incremental", "backfill"]);
    expect((JSON.parse(openMailboxCredentials(again!)) as GmailTokens).refresh_token).not.toBe(before.refresh_token);
  });
});
