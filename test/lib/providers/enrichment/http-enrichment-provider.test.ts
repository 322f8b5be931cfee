import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpEnrichmentProvider } from "@/lib/providers/enrichment/http-enrichment-provider";
import { ProviderError } from "@/lib/providers/errors";
import { isPublicAddress } from "@/lib/security/ip-address";
import { type LoopbackServer, sendJson, startLoopbackServer } from "@/test/fakes/loopback-server";
import { rejectionOf } from "@/test/support/rejection";

/**
 * A loopback fake of a company-data API. The provider reaches it only because these tests
 * inject an SSRF policy that also allows 127.0.0.1; the factory never does.
 */
let api: LoopbackServer;
const requests: Array<{ path: string; authorization: string | undefined }> = [];
let mode: "normal" | "rate-limited" | "unauthorized" | "down" | "hang" = "normal";

const COMPANIES: Record<string, string | null> = { "acme.com": "Acme Corporation", "nameless.io": null, "xn--bcher-kva.de": "Bücher GmbH" };

beforeAll(async () => {
  api = await startLoopbackServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    requests.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    if (mode === "hang") return;
    if (mode === "rate-limited") return sendJson(res, 429, { error: "slow down" }, { "retry-after": "7" });
    if (mode === "unauthorized" || req.headers.authorization !== "Bearer test-key") return sendJson(res, 401, { error: "bad key" });
    if (mode === "down") return sendJson(res, 503, { error: "maintenance" });
    const domain = url.pathname.startsWith("/companies/")
      ? decodeURIComponent(url.pathname.slice("/companies/".length))
      : (url.searchParams.get("domain") ?? "");
    if (domain === "broken.com") {
      res.writeHead(200, { "content-type": "application/json" }).end("{ nope");
      return;
    }
    if (domain === "weird.com") return sendJson(res, 200, { name: 42 });
    if (domain === "rejected.com") return sendJson(res, 422, { error: "unsupported domain" });
    if (domain === "redirecting.com") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      return;
    }
    if (!(domain in COMPANIES)) return sendJson(res, 404, { error: "unknown" });
    sendJson(res, 200, { domain, name: COMPANIES[domain], employees: 120 });
  });
});
afterAll(() => api.stop());
beforeEach(() => {
  requests.length = 0;
  mode = "normal";
});

const testPolicy = { isAllowedAddress: (address: string) => address === "127.0.0.1" || isPublicAddress(address) };
const provider = (overrides: Partial<ConstructorParameters<typeof HttpEnrichmentProvider>[0]> = {}) =>
  new HttpEnrichmentProvider({ apiUrl: `${api.url}/companies/{domain}`, apiKey: "test-key", fetchOptions: testPolicy, ...overrides });

const providerError = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe("HttpEnrichmentProvider", () => {
  it("asks once per business domain, never for free mail or unusable addresses, and keeps input order", async () => {
    const results = await provider().enrich([
      { contactId: "1", email: "ann@acme.com" },
      { contactId: "2", email: "bo@gmail.com" },
      { contactId: "3", email: "cy@sales.acme.com" },
      { contactId: "4", email: "di@unknown-startup.co.uk" },
      { contactId: "5", email: "ed@localhost" },
      { contactId: "6", email: "fi@nameless.io" },
      { contactId: "7", email: "gu@bücher.de" },
    ]);
    expect(results).toEqual([
      { contactId: "1", status: "enriched", domain: "acme.com", company: "Acme Corporation", isFreeMail: false },
      { contactId: "2", status: "enriched", domain: "gmail.com", company: null, isFreeMail: true },
      { contactId: "3", status: "enriched", domain: "acme.com", company: "Acme Corporation", isFreeMail: false },
      // Unknown to the API (404), or known without a name: the name derived from the domain stands.
      { contactId: "4", status: "enriched", domain: "unknown-startup.co.uk", company: "Unknown Startup", isFreeMail: false },
      { contactId: "5", status: "failed", error: "the email address has no usable domain" },
      { contactId: "6", status: "enriched", domain: "nameless.io", company: "Nameless", isFreeMail: false },
      { contactId: "7", status: "enriched", domain: "xn--bcher-kva.de", company: "Bücher GmbH", isFreeMail: false },
    ]);
    expect(requests.map((r) => r.path).sort()).toEqual(
      ["/companies/acme.com", "/companies/nameless.io", "/companies/unknown-startup.co.uk", "/companies/xn--bcher-kva.de"].sort(),
    );
    expect(requests.every((r) => r.authorization === "Bearer test-key")).toBe(true);
  });

  it("adds ?domain= when the URL has no {domain} placeholder", async () => {
    const [result] = await provider({ apiUrl: `${api.url}/lookup?v=2` }).enrich([{ contactId: "1", email: "ann@acme.com" }]);
    expect(result).toMatchObject({ status: "enriched", company: "Acme Corporation" });
    expect(requests[0]!.path).toBe("/lookup?v=2&domain=acme.com");
  });

  it("records per-domain failures without failing the other contacts", async () => {
    const results = await provider().enrich([
      { contactId: "1", email: "a@broken.com" },
      { contactId: "2", email: "b@weird.com" },
      { contactId: "3", email: "c@rejected.com" },
      { contactId: "4", email: "d@redirecting.com" },
      { contactId: "5", email: "e@acme.com" },
    ]);
    expect(results).toEqual([
      { contactId: "1", status: "failed", error: "enrichment API answered with invalid JSON" },
      { contactId: "2", status: "failed", error: "enrichment API answered with an unexpected shape" },
      { contactId: "3", status: "failed", error: "enrichment API answered 422 for rejected.com" },
      { contactId: "4", status: "failed", error: expect.stringMatching(/refused: .*169\.254\.169\.254 \(link-local\)/) },
      { contactId: "5", status: "enriched", domain: "acme.com", company: "Acme Corporation", isFreeMail: false },
    ]);
  });

  it("never follows a redirect to the metadata service", async () => {
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    try {
      await provider().enrich([{ contactId: "1", email: "d@redirecting.com" }]);
      const targets = connect.mock.calls.map((args) => JSON.stringify(args[0]));
      expect(targets.some((target) => target.includes("169.254"))).toBe(false);
      expect(connect).toHaveBeenCalledTimes(1);
    } finally {
      connect.mockRestore();
    }
  });

  it("without the injected policy (as in production) it cannot reach a loopback API at all", async () => {
    const results = await provider({ fetchOptions: undefined }).enrich([{ contactId: "1", email: "ann@acme.com" }]);
    expect(results[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/refused: .*127\.0\.0\.1 \(loopback\)/) });
    expect(requests).toHaveLength(0);
  });

  it.each([
    ["rate-limited", "rate-limited", { status: 429, retryAfterMs: 7_000 }],
    ["unauthorized", "permanent", { status: 401 }],
    ["down", "transient", { status: 503 }],
  ] as const)("a %s API fails the whole call as %s", async (apiMode, kind, details) => {
    mode = apiMode;
    const error = await providerError(provider().enrich([{ contactId: "1", email: "ann@acme.com" }]));
    expect(error.kind).toBe(kind);
    expect(error.details).toMatchObject({ provider: "http", ...details });
  });

  it("a wrong key is a permanent failure", async () => {
    const error = await providerError(provider({ apiKey: "wrong" }).enrich([{ contactId: "1", email: "ann@acme.com" }]));
    expect(error).toMatchObject({ kind: "permanent", message: expect.stringContaining("ENRICHMENT_API_KEY") });
  });

  it("a hanging API is a transient timeout", async () => {
    mode = "hang";
    const error = await providerError(provider({ fetchOptions: { ...testPolicy, timeoutMs: 150 } }).enrich([{ contactId: "1", email: "ann@acme.com" }]));
    expect(error).toMatchObject({ kind: "transient", details: { code: "timeout" } });
  });

  it("sends nothing when the batch has only free-mail addresses", async () => {
    const results = await provider().enrich([{ contactId: "1", email: "ann@outlook.com" }]);
    expect(results).toEqual([{ contactId: "1", status: "enriched", domain: "outlook.com", company: null, isFreeMail: true }]);
    expect(requests).toHaveLength(0);
  });
});
