import type http from "node:http";
import net from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { isPublicAddress } from "@/lib/security/ip-address";
import { type ResolvedAddress, SafeFetchError, safeFetch } from "@/lib/security/ssrf-guard";
import { type LoopbackServer, sendJson, startLoopbackServer } from "@/test/fakes/loopback-server";
import { rejectionOf } from "@/test/support/rejection";

/**
 * No test here reaches beyond 127.0.0.1: names resolve through an injected resolver, refusals
 * are asserted to happen before any socket connects, and the only server is a loopback fake,
 * reachable only because a test passes a policy that allows 127.0.0.1.
 */
let connect: MockInstance;
beforeEach(() => {
  connect = vi.spyOn(net.Socket.prototype, "connect");
});
afterEach(() => connect.mockRestore());

const fakeDns =
  (table: Record<string, string[]>) =>
  async (hostname: string): Promise<ResolvedAddress[]> => {
    const addresses = table[hostname];
    if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  };

/** The default policy plus exactly one extra address: the loopback fake. */
const allowFake = (address: string) => address === "127.0.0.1" || isPublicAddress(address);

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, SafeFetchError);

describe("safeFetch refuses before connecting", () => {
  it.each([
    // loopback, in every notation the URL parser normalises to 127.0.0.1
    "http://127.0.0.1/",
    "https://127.0.0.1/",
    "http://127.0.0.1:8288/api",
    "http://127.1/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://017700000001/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://0x7F.1/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    // unspecified (connects to the local host on Linux)
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    // private
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.0.1/",
    "http://0xc0a80001/",
    "http://[fc00::1]/",
    "http://[::ffff:10.0.0.1]/",
    // link-local and metadata services
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://100.100.100.200/",
    // shared, multicast, broadcast, reserved
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/",
  ])("%s", async (url) => {
    const error = await refusal(safeFetch(url, {}, { resolve: fakeDns({}) }));
    expect(error.code).toBe("blocked");
    expect(connect).not.toHaveBeenCalled();
  });

  it.each(["file:///etc/passwd", "ftp://example.com/", "gopher://example.com:70/", "data:text/plain,hi", "javascript:alert(1)", "ws://example.com/", "not a url"])(
    "scheme or syntax: %s",
    async (url) => {
      const error = await refusal(safeFetch(url, {}, { resolve: fakeDns({ "example.com": ["93.184.215.14"] }) }));
      expect(error.code).toBe("blocked");
      expect(connect).not.toHaveBeenCalled();
    },
  );

  it("credentials in the URL", async () => {
    const error = await refusal(safeFetch("http://user:pass@example.com/", {}, { resolve: fakeDns({ "example.com": ["93.184.215.14"] }) }));
    expect(error.message).toMatch(/credentials/);
    expect(connect).not.toHaveBeenCalled();
  });

  it.each([
    ["a private answer", ["10.0.0.5"]],
    ["the metadata address", ["169.254.169.254"]],
    ["a mix of public and private answers", ["93.184.215.14", "10.0.0.1"]],
    ["a public IPv4 and a loopback IPv6", ["93.184.215.14", "::1"]],
    ["an IPv4-mapped loopback", ["::ffff:127.0.0.1"]],
    ["a unique-local IPv6", ["fd12:3456::1"]],
  ])("a name resolving to %s", async (_case, addresses) => {
    const error = await refusal(safeFetch("https://partner.test/x", {}, { resolve: fakeDns({ "partner.test": addresses }) }));
    expect(error.code).toBe("blocked");
    expect(connect).not.toHaveBeenCalled();
  });

  it("a name that does not resolve is a network error, not a connection", async () => {
    const error = await refusal(safeFetch("https://nowhere.test/", {}, { resolve: fakeDns({}) }));
    expect(error.code).toBe("network");
    expect(connect).not.toHaveBeenCalled();
  });

  it("localhost through the system resolver", async () => {
    const error = await refusal(safeFetch("http://localhost:1/"));
    expect(error.code).toBe("blocked");
    expect(connect).not.toHaveBeenCalled();
  });
});

describe("safeFetch against a loopback fake (allowed only by an injected policy)", () => {
  let server: LoopbackServer;
  let other: LoopbackServer;
  const seen: Array<{ url: string; method: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const otherSeen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    other = await startLoopbackServer((req, res) => {
      otherSeen.push(req.headers);
      sendJson(res, 200, { at: "other" });
    });
    server = await startLoopbackServer((req, res, body) => {
      const url = new URL(req.url!, "http://x");
      seen.push({ url: req.url!, method: req.method!, headers: req.headers, body });
      const hops = url.pathname.match(/^\/chain\/(\d+)$/);
      if (hops) {
        const n = Number(hops[1]);
        if (n === 0) return sendJson(res, 200, { done: true });
        res.writeHead(302, { location: `/chain/${n - 1}` }).end();
        return;
      }
      switch (url.pathname) {
        case "/ok":
          return sendJson(res, 200, { hello: "world" });
        case "/to-metadata":
          res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/iam/" }).end();
          return;
        case "/to-mapped-loopback":
          res.writeHead(301, { location: `http://[::ffff:127.0.0.1]:${server.port}/ok` }).end();
          return;
        case "/to-internal-name":
          res.writeHead(307, { location: "http://internal.test/admin" }).end();
          return;
        case "/to-file":
          res.writeHead(302, { location: "file:///etc/passwd" }).end();
          return;
        case "/see-other":
          res.writeHead(303, { location: "/echo" }).end();
          return;
        case "/temporary":
          res.writeHead(307, { location: "/echo" }).end();
          return;
        case "/to-other":
          res.writeHead(302, { location: `${other.url}/landing` }).end();
          return;
        case "/echo":
          return sendJson(res, 200, { method: req.method, body });
        case "/big-declared":
          res.writeHead(200, { "content-length": String(10 * 1024 * 1024) });
          res.write("x");
          return;
        case "/big-chunked":
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("y".repeat(64 * 1024));
          return;
        case "/hang":
          return; // never answers
        case "/slow-body":
          res.writeHead(200, { "content-type": "text/plain" });
          res.write("partial");
          return; // never ends
        default:
          sendJson(res, 404, {});
      }
    });
  });
  afterAll(async () => {
    await server.stop();
    await other.stop();
  });

  const options = { isAllowedAddress: allowFake, resolve: fakeDns({ "api.test": ["127.0.0.1"], "internal.test": ["10.0.0.7"] }) };

  it("the default policy refuses the fake itself", async () => {
    const error = await refusal(safeFetch(`${server.url}/ok`));
    expect(error.code).toBe("blocked");
    expect(connect).not.toHaveBeenCalled();
  });

  it("fetches through a name, connecting to the checked address while keeping the Host header", async () => {
    const response = await safeFetch(`http://api.test:${server.port}/ok`, { headers: { accept: "application/json" } }, options);
    expect(response).toMatchObject({ status: 200, redirects: 0, url: `http://api.test:${server.port}/ok` });
    expect(response.json()).toEqual({ hello: "world" });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(seen.at(-1)!.headers.host).toBe(`api.test:${server.port}`);
  });

  it("resolves once per hop and connects to that answer (no DNS rebinding window)", async () => {
    let calls = 0;
    // A rebinding resolver: the first answer passes the policy, every later one is private.
    const rebinding = async (): Promise<ResolvedAddress[]> => [{ address: calls++ === 0 ? "127.0.0.1" : "10.0.0.1", family: 4 }];
    const response = await safeFetch(`http://rebind.test:${server.port}/ok`, {}, { isAllowedAddress: allowFake, resolve: rebinding });
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it.each([
    ["/to-metadata", /169\.254\.169\.254 \(link-local\)/],
    ["/to-internal-name", /internal\.test resolves to 10\.0\.0\.7 \(private\)/],
    ["/to-mapped-loopback", /::ffff:7f00:1 \(loopback\)/],
    ["/to-file", /scheme file:/],
  ])("re-checks a redirect: %s is refused", async (path, message) => {
    const error = await refusal(safeFetch(`${server.url}${path}`, {}, options));
    expect(error.code).toBe("blocked");
    expect(error.message).toMatch(message);
    // Only the first hop (to the fake) ever connected.
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it("follows up to 5 redirects and refuses the 6th", async () => {
    const five = await safeFetch(`${server.url}/chain/5`, {}, options);
    expect(five).toMatchObject({ status: 200, redirects: 5 });
    expect(five.url).toBe(`${server.url}/chain/0`);
    const error = await refusal(safeFetch(`${server.url}/chain/6`, {}, options));
    expect(error.code).toBe("too-many-redirects");
  });

  it("303 turns a POST into a GET without body; 307 keeps both", async () => {
    const init = { method: "POST", headers: { "content-type": "text/plain" }, body: "payload" };
    expect((await safeFetch(`${server.url}/see-other`, init, options)).json()).toEqual({ method: "GET", body: "" });
    expect((await safeFetch(`${server.url}/temporary`, init, options)).json()).toEqual({ method: "POST", body: "payload" });
  });

  it("keeps credentials on same-origin hops and drops them when a redirect leaves the origin", async () => {
    const headers = { authorization: "Bearer secret", cookie: "s=1", "x-trace": "t" };
    await safeFetch(`${server.url}/chain/1`, { headers }, options);
    expect(seen.at(-1)!.headers.authorization).toBe("Bearer secret");
    const response = await safeFetch(`${server.url}/to-other`, { headers }, options);
    expect(response.json()).toEqual({ at: "other" });
    expect(otherSeen.at(-1)).toMatchObject({ "x-trace": "t" });
    expect(otherSeen.at(-1)).not.toHaveProperty("authorization");
    expect(otherSeen.at(-1)).not.toHaveProperty("cookie");
  });

  it.each(["/big-declared", "/big-chunked"])("caps the response size: %s", async (path) => {
    const error = await refusal(safeFetch(`${server.url}${path}`, {}, { ...options, maxResponseBytes: 1024 }));
    expect(error.code).toBe("too-large");
  });

  it.each(["/hang", "/slow-body"])("times out: %s", async (path) => {
    const started = Date.now();
    const error = await refusal(safeFetch(`${server.url}${path}`, {}, { ...options, timeoutMs: 200 }));
    expect(error.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a resolver that never answers is cut off by the deadline", async () => {
    const error = await refusal(safeFetch("http://slow-dns.test/", {}, { resolve: () => new Promise(() => {}), timeoutMs: 100 }));
    expect(error.code).toBe("timeout");
    expect(connect).not.toHaveBeenCalled();
  });
});
