import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import net from "node:net";
import { classifyAddress, isPublicAddress } from "./ip-address";

export type ResolvedAddress = { address: string; family: 4 | 6 };

export type SafeFetchInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
};

export type SafeFetchOptions = {
  /** Whole request including redirects and reading the body. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
  /**
   * Which resolved addresses may be connected to. Defaults to public unicast only; tests
   * inject a wider policy to reach a loopback fake. Production code never passes one.
   */
  isAllowedAddress?: (address: string) => boolean;
  /** Hostname → every address it resolves to. Defaults to the system resolver (dns.lookup). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
};

export type SafeFetchErrorCode = "blocked" | "timeout" | "too-large" | "too-many-redirects" | "network";

export class SafeFetchError extends Error {
  override readonly name = "SafeFetchError";
  constructor(
    readonly code: SafeFetchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type SafeResponse = {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
  redirects: number;
  text(): string;
  json(): unknown;
};

export const SAFE_FETCH_DEFAULT_TIMEOUT_MS = 10_000;
export const SAFE_FETCH_DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const SAFE_FETCH_DEFAULT_MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped when a redirect leaves the origin, so an API key never follows a hop to someone else. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

export async function resolveHostname(hostname: string): Promise<ResolvedAddress[]> {
  const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/**
 * Checks one URL and returns the address to connect to. Every address the name resolves to
 * must pass: a resolver answering with one public and one private address is refused, since
 * the connection could land on either. URL parsing has already normalised odd IPv4 notations
 * (2130706433, 0177.0.0.1, 0x7f.1 → 127.0.0.1), and literals are judged without DNS.
 */
export async function checkUrl(
  url: URL,
  policy: (address: string) => boolean,
  resolve: (hostname: string) => Promise<ResolvedAddress[]>,
): Promise<ResolvedAddress> {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SafeFetchError("blocked", `scheme ${url.protocol} is not allowed`);
  if (url.username || url.password) throw new SafeFetchError("blocked", "credentials in the URL are not allowed");
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const literal = net.isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new SafeFetchError("network", `cannot resolve ${host}: ${(error as Error).message}`);
    }
  }
  if (addresses.length === 0) throw new SafeFetchError("network", `${host} has no addresses`);
  const refused = addresses.find(({ address }) => !policy(address));
  if (refused) throw new SafeFetchError("blocked", `${host} resolves to ${refused.address} (${classifyAddress(refused.address)})`);
  return addresses[0]!;
}

/** Hands the socket the address that was checked, so DNS cannot change its answer in between. */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

function send(url: URL, pinned: ResolvedAddress, init: Required<Pick<SafeFetchInit, "method">> & SafeFetchInit, signal: AbortSignal) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: init.method,
      headers: init.headers,
      lookup: pinnedLookup(pinned),
      // No pooled sockets: each hop connects to the address checked for it.
      agent: false,
      signal,
    });
    request.once("response", resolve);
    request.once("error", reject);
    request.end(init.body);
  });
}

async function readBody(response: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new SafeFetchError("too-large", `response declares ${declared} bytes; the limit is ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw new SafeFetchError("too-large", `response exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/**
 * fetch for URLs that come from outside (configuration, API responses, users): http(s) only,
 * every hop's addresses checked against the policy before connecting, the connection pinned to
 * the checked address, redirects followed by hand and re-checked, with a deadline and a size cap.
 */
export async function safeFetch(input: string | URL, init: SafeFetchInit = {}, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const policy = options.isAllowedAddress ?? isPublicAddress;
  const resolve = options.resolve ?? resolveHostname;
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_DEFAULT_MAX_REDIRECTS;
  const maxBytes = options.maxResponseBytes ?? SAFE_FETCH_DEFAULT_MAX_RESPONSE_BYTES;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? SAFE_FETCH_DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(timeout.aborted ? new SafeFetchError("timeout", "request timed out") : (signal.reason as Error));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {});

  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SafeFetchError("blocked", "not a valid URL");
  }
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body;
  const headers: Record<string, string> = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

  for (let redirects = 0; ; redirects++) {
    const pinned = await Promise.race([checkUrl(url, policy, resolve), aborted]);
    let response: http.IncomingMessage;
    try {
      response = await Promise.race([send(url, pinned, { method, headers, body }, signal), aborted]);
    } catch (error) {
      if (error instanceof SafeFetchError) throw error;
      if (timeout.aborted) throw new SafeFetchError("timeout", "request timed out");
      throw new SafeFetchError("network", `${url.host}: ${(error as Error).message}`);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECT_STATUSES.has(status) && location) {
      response.resume();
      if (redirects >= maxRedirects) throw new SafeFetchError("too-many-redirects", `more than ${maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new SafeFetchError("blocked", "redirect to an invalid URL");
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        delete headers["content-type"];
        delete headers["content-length"];
      }
      url = next;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await Promise.race([readBody(response, maxBytes), aborted]);
    } catch (error) {
      response.destroy();
      if (error instanceof SafeFetchError) throw error;
      if (timeout.aborted) throw new SafeFetchError("timeout", "request timed out");
      throw new SafeFetchError("network", `${url.host}: ${(error as Error).message}`);
    }
    return {
      url: url.toString(),
      status,
      headers: toHeaders(response.headers),
      body: bytes,
      redirects,
      text: () => bytes.toString("utf8"),
      json: () => JSON.parse(bytes.toString("utf8")) as unknown,
    };
  }
}
