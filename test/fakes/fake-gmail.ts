import { randomBytes } from "node:crypto";
import type http from "node:http";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server";

/**
 * A loopback stand-in for Google's OAuth 2.0 endpoints and the part of the Gmail API a mailbox
 * sync uses, checking what Google checks:
 * - the consent page (`GET /o/oauth2/v2/auth`) knows the client, accepts only its registered
 *   redirect URIs and a `code` response with a Gmail scope, and answers as a user who consents:
 *   302 to the redirect URI with a one-time code and the state;
 * - the token endpoint (`POST /token`) checks the client id and secret, exchanges a code only
 *   once, for the client and redirect URI it was issued to, gives a refresh token only for
 *   `access_type=offline`, refreshes with a refresh token until it is revoked (`invalid_grant`),
 *   and issues access tokens that a test can expire early;
 * - every Gmail call needs a live Bearer token with a Gmail scope (401 / 403 as Google words
 *   them); `messages.list` supports `q=after:<epoch seconds>` (newest first, spam and trash left
 *   out, `maxResults` up to 500, page tokens bound to their query), `messages.get` the `raw`,
 *   `metadata` and `minimal` formats, and `history.list` answers 404 for a start older than the
 *   oldest history record it keeps.
 */

export const GMAIL_READONLY_SCOPE = "https://www.googleapis.com/auth/gmail.readonly";
const GMAIL_SCOPES = new Set([GMAIL_READONLY_SCOPE, "https://www.googleapis.com/auth/gmail.modify", "https://mail.google.com/"]);
const LIST_MAX_RESULTS = 500;
const LIST_DEFAULT_RESULTS = 100;
const ACCESS_TOKEN_SECONDS = 3599;

export type FakeGmailMessage = { id: string; threadId: string; raw: Buffer; internalDateMs: number; labelIds: string[]; historyId: number };

export type FakeGmailRequest = { method: string; path: string; query: Record<string, string | string[]>; status: number; authorization: string | null };

export type FakeGmail = {
  url: string;
  /** What GOOGLE_OAUTH_AUTH_URL, GOOGLE_OAUTH_TOKEN_URL and GMAIL_API_URL point at. */
  authUrl: string;
  tokenUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  address: string;
  requests: FakeGmailRequest[];
  /** Token endpoint calls by grant type, answered or refused. */
  grants: { authorization_code: number; refresh_token: number };
  messages: FakeGmailMessage[];
  /** The mailbox's current history id. */
  historyId(): number;
  /** New mail: stored, with a `messageAdded` history record. Returns the Gmail id. */
  addMessage(message: { raw: Buffer | string; internalDate: Date; labelIds?: string[] }): string;
  /** A code as the consent page would give it, without the redirect (for token endpoint tests). */
  issueCode(options: { redirectUri: string; scope?: string; offline?: boolean }): string;
  /** Refresh and access tokens issued so far: for seeding a connection's credentials. */
  issueTokens(options?: { scope?: string }): { access_token: string; refresh_token: string; expiry_date: number };
  /** Every access token issued so far stops working (401), as if it had expired. */
  expireAccessTokens(): void;
  /** The user removed the app's access: refresh tokens answer invalid_grant, access tokens 401. */
  revokeAccess(): void;
  /** Drops history records up to now: a start history id from before answers 404. */
  forgetHistory(): void;
  /** Answers the next `count` Gmail API calls with this status (429, 500, …). */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  stop(): Promise<void>;
};

type AccessToken = { expiresAtMs: number; scope: string; refreshToken: string | null };
type Code = { redirectUri: string; scope: string; offline: boolean };

const googleError = (code: number, status: string, message: string, reason: string) => ({ error: { code, message, errors: [{ message, domain: "global", reason }], status } });
const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;

export async function startFakeGmail(options: { address?: string; redirectUris?: string[] } = {}): Promise<FakeGmail> {
  const clientId = `${randomBytes(6).toString("hex")}.apps.googleusercontent.com`;
  const clientSecret = token("GOCSPX-");
  const address = options.address ?? "owner@sendline.test";
  const redirectUris = new Set(options.redirectUris ?? []);
  const requests: FakeGmailRequest[] = [];
  const grants = { authorization_code: 0, refresh_token: 0 };
  const messages: FakeGmailMessage[] = [];
  const codes = new Map<string, Code>();
  const refreshTokens = new Map<string, { scope: string; revoked: boolean }>();
  const accessTokens = new Map<string, AccessToken>();
  const failures: { status: number; headers: Record<string, string> }[] = [];
  /** History records: one per added message (the fake keeps only `messageAdded` ones). */
  const history: { id: number; messageId: string }[] = [];
  let currentHistoryId = 1000;
  let oldestHistoryId = currentHistoryId;
  let nextMessage = 0x18c0_0000_0000;

  function issueAccessToken(scope: string, refreshToken: string | null) {
    const value = token("ya29.");
    accessTokens.set(value, { expiresAtMs: Date.now() + ACCESS_TOKEN_SECONDS * 1000, scope, refreshToken });
    return value;
  }

  function handleToken(req: http.IncomingMessage, body: string, answer: (status: number, payload: unknown) => void) {
    const form = new URLSearchParams(body);
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
    const id = form.get("client_id") ?? basicId;
    const secret = form.get("client_secret") ?? basicSecret;
    const grant = form.get("grant_type");
    if (grant === "authorization_code" || grant === "refresh_token") grants[grant]++;
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return answer(400, { error: "invalid_request", error_description: "Invalid content type" });
    if (id !== clientId) return answer(401, { error: "invalid_client", error_description: "The OAuth client was not found." });
    if (secret !== clientSecret) return answer(401, { error: "invalid_client", error_description: "Unauthorized" });
    if (grant === "authorization_code") {
      const code = codes.get(form.get("code") ?? "");
      if (!code) return answer(400, { error: "invalid_grant", error_description: "Malformed auth code." });
      codes.delete(form.get("code")!);
      if (form.get("redirect_uri") !== code.redirectUri) return answer(400, { error: "redirect_uri_mismatch", error_description: "Bad Request" });
      const refreshToken = code.offline ? token("1//") : null;
      if (refreshToken) refreshTokens.set(refreshToken, { scope: code.scope, revoked: false });
      return answer(200, {
        access_token: issueAccessToken(code.scope, refreshToken),
        expires_in: ACCESS_TOKEN_SECONDS,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        scope: code.scope,
        token_type: "Bearer",
      });
    }
    if (grant === "refresh_token") {
      const refreshToken = form.get("refresh_token") ?? "";
      const known = refreshTokens.get(refreshToken);
      if (!known || known.revoked) return answer(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
      return answer(200, { access_token: issueAccessToken(known.scope, refreshToken), expires_in: ACCESS_TOKEN_SECONDS, scope: known.scope, token_type: "Bearer" });
    }
    return answer(400, { error: "unsupported_grant_type", error_description: `Invalid grant_type: ${grant ?? ""}` });
  }

  function handleConsent(url: URL, res: http.ServerResponse, answer: (status: number, payload: unknown) => void) {
    const q = url.searchParams;
    if (q.get("client_id") !== clientId) return answer(401, { error: "invalid_client", error_description: "The OAuth client was not found." });
    const redirectUri = q.get("redirect_uri") ?? "";
    if (!redirectUris.has(redirectUri)) return answer(400, { error: "redirect_uri_mismatch", error_description: `redirect_uri=${redirectUri} is not registered for this client` });
    if (q.get("response_type") !== "code") return answer(400, { error: "unsupported_response_type", error_description: "Invalid response_type" });
    const scope = (q.get("scope") ?? "").split(" ").filter(Boolean);
    if (!scope.some((s) => GMAIL_SCOPES.has(s))) return answer(400, { error: "invalid_scope", error_description: "Some requested scopes were invalid." });
    const code = issueCode({ redirectUri, scope: scope.join(" "), offline: q.get("access_type") === "offline" });
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    if (q.has("state")) target.searchParams.set("state", q.get("state")!);
    target.searchParams.set("scope", scope.join(" "));
    requests.push({ method: "GET", path: url.pathname, query: Object.fromEntries(q), status: 302, authorization: null });
    res.writeHead(302, { location: target.href }).end();
  }

  function issueCode(code: { redirectUri: string; scope?: string; offline?: boolean }): string {
    const value = `4/0A${randomBytes(24).toString("base64url")}`;
    codes.set(value, { redirectUri: code.redirectUri, scope: code.scope ?? GMAIL_READONLY_SCOPE, offline: code.offline ?? true });
    return value;
  }

  const pageToken = (q: string, offset: number) => Buffer.from(JSON.stringify({ q, offset })).toString("base64url");
  function readPageToken(value: string | null, q: string): number | null {
    if (value === null) return 0;
    try {
      const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as { q?: string; offset?: number };
      return parsed.q === q && Number.isInteger(parsed.offset) ? parsed.offset! : null;
    } catch {
      return null;
    }
  }
  function maxResults(value: string | null): number | null {
    if (value === null) return LIST_DEFAULT_RESULTS;
    const n = Number(value);
    return Number.isInteger(n) && n >= 1 && n <= LIST_MAX_RESULTS ? n : null;
  }

  function handleGmail(url: URL, answer: (status: number, payload: unknown) => void) {
    const q = url.searchParams;
    const [, user, path] = /^\/gmail\/v1\/users\/([^/]+)(\/.*)?$/.exec(url.pathname) ?? [];
    if (user !== "me" && decodeURIComponent(user ?? "") !== address) return answer(403, googleError(403, "PERMISSION_DENIED", "Delegation denied for the requested user", "forbidden"));
    if (path === "/profile") {
      return answer(200, { emailAddress: address, messagesTotal: messages.length, threadsTotal: messages.length, historyId: String(currentHistoryId) });
    }
    if (path === "/messages") {
      const query = q.get("q") ?? "";
      const after = /^after:(\d+)$/.exec(query.trim());
      if (query !== "" && !after) return answer(400, googleError(400, "INVALID_ARGUMENT", "This fake only understands q=after:<epoch seconds>", "invalidArgument"));
      const limit = maxResults(q.get("maxResults"));
      const offset = readPageToken(q.get("pageToken"), query);
      if (limit === null) return answer(400, googleError(400, "INVALID_ARGUMENT", "Invalid maxResults", "invalidArgument"));
      if (offset === null) return answer(400, googleError(400, "INVALID_ARGUMENT", "Invalid pageToken", "invalidArgument"));
      const afterMs = after ? Number(after[1]) * 1000 : -Infinity;
      const listed = messages
        .filter((m) => m.internalDateMs > afterMs && !m.labelIds.includes("SPAM") && !m.labelIds.includes("TRASH"))
        .sort((a, b) => b.internalDateMs - a.internalDateMs);
      const page = listed.slice(offset, offset + limit);
      return answer(200, {
        ...(page.length > 0 ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(offset + limit < listed.length ? { nextPageToken: pageToken(query, offset + limit) } : {}),
        resultSizeEstimate: page.length,
      });
    }
    const one = /^\/messages\/([^/]+)$/.exec(path ?? "");
    if (one) {
      const message = messages.find((m) => m.id === one[1]);
      if (!message) return answer(404, googleError(404, "NOT_FOUND", "Requested entity was not found.", "notFound"));
      const format = q.get("format") ?? "full";
      if (!["raw", "metadata", "minimal", "full"].includes(format)) return answer(400, googleError(400, "INVALID_ARGUMENT", `Invalid value at 'format' (${format})`, "invalidArgument"));
      const base = { id: message.id, threadId: message.threadId, labelIds: message.labelIds, snippet: "", sizeEstimate: message.raw.length, historyId: String(message.historyId), internalDate: String(message.internalDateMs) };
      if (format === "raw") return answer(200, { ...base, raw: message.raw.toString("base64url") });
      if (format === "minimal") return answer(200, base);
      return answer(200, { ...base, payload: { partId: "", mimeType: "text/plain", filename: "", headers: headersOf(message.raw), body: { size: message.raw.length } } });
    }
    if (path === "/history") {
      const start = Number(q.get("startHistoryId"));
      if (!q.get("startHistoryId") || !Number.isInteger(start) || start < 1) return answer(400, googleError(400, "INVALID_ARGUMENT", "Invalid startHistoryId", "invalidArgument"));
      if (start < oldestHistoryId) return answer(404, googleError(404, "NOT_FOUND", "Requested entity was not found.", "notFound"));
      const types = q.getAll("historyTypes");
      if (types.some((type) => !["messageAdded", "messageDeleted", "labelAdded", "labelRemoved"].includes(type))) {
        return answer(400, googleError(400, "INVALID_ARGUMENT", "Invalid historyTypes", "invalidArgument"));
      }
      const limit = maxResults(q.get("maxResults"));
      const key = `history:${start}`;
      const offset = readPageToken(q.get("pageToken"), key);
      if (limit === null || offset === null) return answer(400, googleError(400, "INVALID_ARGUMENT", "Invalid maxResults or pageToken", "invalidArgument"));
      const records = history.filter((record) => record.id > start);
      const page = records.slice(offset, offset + limit).map((record) => {
        const message = messages.find((m) => m.id === record.messageId)!;
        const ref = { id: message.id, threadId: message.threadId };
        return { id: String(record.id), messages: [ref], messagesAdded: [{ message: { ...ref, labelIds: message.labelIds } }] };
      });
      return answer(200, {
        ...(page.length > 0 ? { history: page } : {}),
        ...(offset + limit < records.length ? { nextPageToken: pageToken(key, offset + limit) } : {}),
        historyId: String(currentHistoryId),
      });
    }
    return answer(404, googleError(404, "NOT_FOUND", "Requested entity was not found.", "notFound"));
  }

  const server: LoopbackServer = await startLoopbackServer((req, res, body) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const authorization = (req.headers.authorization as string | undefined) ?? null;
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? "GET", path: url.pathname, query: queryOf(url), status, authorization });
      sendJson(res, status, payload, headers);
    };
    if (req.method === "POST" && url.pathname === "/token") return handleToken(req, body, answer);
    if (req.method === "GET" && url.pathname === "/o/oauth2/v2/auth") return handleConsent(url, res, answer);
    if (!url.pathname.startsWith("/gmail/v1/users/")) return answer(404, googleError(404, "NOT_FOUND", "Not Found", "notFound"));
    if (req.method !== "GET") return answer(405, googleError(405, "METHOD_NOT_ALLOWED", "Method not allowed", "methodNotAllowed"));

    const bearer = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
    const access = bearer ? accessTokens.get(bearer) : undefined;
    if (!access || access.expiresAtMs <= Date.now() || (access.refreshToken && refreshTokens.get(access.refreshToken)?.revoked)) {
      return answer(
        401,
        googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "authError"),
        { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      );
    }
    if (!access.scope.split(" ").some((s) => GMAIL_SCOPES.has(s))) {
      return answer(403, googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", "insufficientPermissions"));
    }
    const failure = failures.shift();
    if (failure?.status === 429) return answer(429, googleError(429, "RESOURCE_EXHAUSTED", "Too many concurrent requests for user", "rateLimitExceeded"), failure.headers);
    if (failure) return answer(failure.status, googleError(failure.status, "UNAVAILABLE", "The service is currently unavailable.", "backendError"), failure.headers);
    return handleGmail(url, answer);
  });

  return {
    url: server.url,
    authUrl: `${server.url}/o/oauth2/v2/auth`,
    tokenUrl: `${server.url}/token`,
    apiUrl: server.url,
    clientId,
    clientSecret,
    address,
    requests,
    grants,
    messages,
    historyId: () => currentHistoryId,
    addMessage(message) {
      const id = (nextMessage++).toString(16);
      currentHistoryId += 7;
      messages.push({ id, threadId: id, raw: Buffer.from(message.raw), internalDateMs: message.internalDate.getTime(), labelIds: message.labelIds ?? ["INBOX"], historyId: currentHistoryId });
      history.push({ id: currentHistoryId, messageId: id });
      return id;
    },
    issueCode,
    issueTokens(issue = {}) {
      const scope = issue.scope ?? GMAIL_READONLY_SCOPE;
      const refreshToken = token("1//");
      refreshTokens.set(refreshToken, { scope, revoked: false });
      return { access_token: issueAccessToken(scope, refreshToken), refresh_token: refreshToken, expiry_date: Date.now() + ACCESS_TOKEN_SECONDS * 1000 };
    },
    expireAccessTokens() {
      for (const access of accessTokens.values()) access.expiresAtMs = 0;
    },
    revokeAccess() {
      for (const refresh of refreshTokens.values()) refresh.revoked = true;
    },
    forgetHistory() {
      oldestHistoryId = currentHistoryId;
      history.length = 0;
    },
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers });
    },
    stop: () => server.stop(),
  };
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

/** The header fields of a raw message as `format=metadata` lists them: unfolded, in order. */
function headersOf(raw: Buffer): { name: string; value: string }[] {
  const text = raw.toString("utf8");
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  return head
    .split(/\r?\n/)
    .filter((line) => line.includes(":"))
    .map((line) => ({ name: line.slice(0, line.indexOf(":")), value: line.slice(line.indexOf(":") + 1).trim() }));
}
