import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { canonicalBody, signBody } from "@/test/support/inngest-signature";
import { inngestServeOptions } from "@/lib/config/inngest-serve-options";

const SIGNING_KEY = "signkey-prod-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const PUBLIC = "https://mail.example.com";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("inngestServeOptions", () => {
  it.each([
    ["development: the SDK infers the URL", { NODE_ENV: "development", PUBLIC_URL: PUBLIC }, {}],
    ["production: PUBLIC_URL's origin, signed syncs only", { NODE_ENV: "production", PUBLIC_URL: PUBLIC }, { serveOrigin: PUBLIC, servePath: "/api/inngest", enableUnauthedSync: false }],
    [
      "production under a path prefix",
      { NODE_ENV: "production", PUBLIC_URL: "https://example.com/sendline/" },
      { serveOrigin: "https://example.com", servePath: "/sendline/api/inngest", enableUnauthedSync: false },
    ],
    [
      "production beside a self-hosted server that calls the app privately",
      { NODE_ENV: "production", PUBLIC_URL: "https://example.com/sendline", INNGEST_SERVE_ORIGIN: "http://app:3000" },
      { serveOrigin: "http://app:3000", servePath: "/api/inngest", enableUnauthedSync: false },
    ],
    ["production without PUBLIC_URL (a build; start-up refuses a server)", { NODE_ENV: "production" }, { enableUnauthedSync: false }],
  ])("%s", (_case, env, expected) => {
    expect(inngestServeOptions(env as unknown as NodeJS.ProcessEnv)).toEqual(expected);
  });
});

/** The real serve() handler in cloud mode, with the options production gives it. */
function productionHandler() {
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("PUBLIC_URL", PUBLIC);
  vi.stubEnv("INNGEST_DEV", "");
  vi.stubEnv("INNGEST_SIGNING_KEY", SIGNING_KEY);
  const registered: string[] = [];
  const client = new Inngest({
    id: "serve-origin-test",
    isDev: false,
    signingKey: SIGNING_KEY,
    fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
      registered.push(JSON.parse(String(init?.body)).url);
      return Response.json({ ok: true, modified: true });
    }) as typeof fetch,
  });
  const fn = client.createFunction({ id: "noop", triggers: [{ event: "test/noop" }] }, async () => null);
  const handler = serve({ client, functions: [fn], ...inngestServeOptions() });
  return { PUT: (request: Request) => handler.PUT(request as never, undefined as never), registered };
}

describe("PUT /api/inngest in production", () => {
  it("refuses an unsigned sync with a forged Host, registering nothing", async () => {
    const { PUT, registered } = productionHandler();
    const response = await PUT(new Request("https://attacker.example/api/inngest", { method: "PUT", headers: { host: "attacker.example" } }));
    expect(response.status).toBe(401);
    expect(registered).toEqual([]);
  });

  it("answers a signed in-band sync with PUBLIC_URL's address, whatever URL the request names", async () => {
    const { PUT } = productionHandler();
    const body = canonicalBody({ url: "https://attacker.example/api/inngest" });
    const response = await PUT(
      new Request("https://attacker.example/api/inngest", {
        method: "PUT",
        headers: { host: "attacker.example", "content-type": "application/json", "x-inngest-sync-kind": "in_band", "x-inngest-signature": signBody(body, SIGNING_KEY) },
        body,
      }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).url).toBe(`${PUBLIC}/api/inngest`);
  });
});
