import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { GMAIL_READONLY_SCOPE } from "@/lib/mailbox/gmail/gmail-config";
import { GMAIL_STATE_TTL_MS, verifyGmailState } from "@/lib/mailbox/gmail/gmail-oauth-state";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

const { GET } = await import("@/app/api/v1/mailbox/gmail/authorize/route");

const GOOGLE = "http://127.0.0.1:9/o/oauth2/v2/auth";
let database: Database;
let apiKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Gmail authorize" }));
});
afterAll(() => database.close());
afterEach(() => vi.unstubAllEnvs());

function configure(env: Record<string, string>) {
  for (const [name, value] of Object.entries({ PUBLIC_URL: "http://127.0.0.1:3000", GOOGLE_OAUTH_AUTH_URL: GOOGLE, ...env })) vi.stubEnv(name, value);
}

describe("GET /api/v1/mailbox/gmail/authorize", () => {
  it.each([
    ["no OAuth client", { GOOGLE_CLIENT_ID: "", GOOGLE_CLIENT_SECRET: "" }, "set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"],
    ["a client id without its secret", { GOOGLE_CLIENT_ID: "id.apps.googleusercontent.com", GOOGLE_CLIENT_SECRET: "" }, "GOOGLE_CLIENT_SECRET is not"],
  ])("answers 409 saying what to set when this server has %s", async (_name, env, says) => {
    configure(env);
    const response = await callRoute(GET, { path: "/api/v1/mailbox/gmail/authorize", apiKey });
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "gmail_not_configured", message: expect.stringContaining(says) });
  });

  it("answers Google's consent URL: read-only Gmail, offline, consent shown, back to our callback, with a signed state for this workspace and its options", async () => {
    configure({ GOOGLE_CLIENT_ID: "sendline.apps.googleusercontent.com", GOOGLE_CLIENT_SECRET: "GOCSPX-secret" });
    const before = Date.now();
    const response = await callRoute(GET, { path: "/api/v1/mailbox/gmail/authorize?label=Sales&storeBodies=true&historyDays=90", apiKey });
    expect(response.status).toBe(200);
    const url = new URL(response.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(GOOGLE);
    expect(Object.fromEntries([...url.searchParams].filter(([key]) => key !== "state"))).toEqual({
      client_id: "sendline.apps.googleusercontent.com",
      redirect_uri: "http://127.0.0.1:3000/mailbox/gmail/callback",
      response_type: "code",
      scope: GMAIL_READONLY_SCOPE,
      access_type: "offline",
      prompt: "consent",
    });
    expect(response.body.url).not.toContain("GOCSPX-secret");
    const check = verifyGmailState(url.searchParams.get("state")!);
    expect(check).toEqual({ ok: true, state: { workspaceId, label: "Sales", storeBodies: true, historyDays: 90, expiresAt: new Date(response.body.expiresAt) } });
    expect(new Date(response.body.expiresAt).getTime()).toBeGreaterThan(before + GMAIL_STATE_TTL_MS - 2_000);
    // Defaults: the address as the label, no bodies, a year of history.
    const plain = await callRoute(GET, { path: "/api/v1/mailbox/gmail/authorize", apiKey });
    expect(verifyGmailState(new URL(plain.body.url).searchParams.get("state")!)).toMatchObject({ ok: true, state: { label: null, storeBodies: false, historyDays: 365 } });
  });

  it("refuses bad options and requests without an API key", async () => {
    configure({ GOOGLE_CLIENT_ID: "sendline.apps.googleusercontent.com", GOOGLE_CLIENT_SECRET: "GOCSPX-secret" });
    const bad = await callRoute(GET, { path: "/api/v1/mailbox/gmail/authorize?historyDays=0&scope=all", apiKey });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["historyDays", "scope"]);
    expect((await callRoute(GET, { path: "/api/v1/mailbox/gmail/authorize" })).status).toBe(401);
  });
});
