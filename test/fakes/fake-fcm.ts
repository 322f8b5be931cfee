import { generateKeyPairSync, randomBytes, randomUUID, verify } from "node:crypto";
import type http from "node:http";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server";

/**
 * A loopback Firebase Cloud Messaging HTTP v1 API and Google OAuth token endpoint, checking what
 * Google checks:
 * - the token endpoint takes `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with an
 *   assertion signed RS256 by the service account's private key (verified with its public half),
 *   `iss` the account's email, `aud` Google's token URL, the FCM scope, and a lifetime of at most
 *   an hour; it answers `invalid_grant` otherwise, and issues short-lived bearer tokens;
 * - `POST /v1/projects/{id}/messages:send` wants one of those bearers (401 UNAUTHENTICATED), the
 *   account's own project (403 PERMISSION_DENIED) and a well-formed v1 message: exactly one
 *   target, string-only `data`, at most 4 KB of it. Unknown tokens answer 404 UNREGISTERED, as
 *   FCM does for an uninstalled app; malformed ones 400 INVALID_ARGUMENT naming `message.token`.
 */

export type FcmServiceAccountJson = {
  type: "service_account";
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  token_uri: string;
};

export type FakeFcmMessage = { name: string; token: string; notification: { title?: string; body?: string } | null; data: Record<string, string>; webpush: unknown };

export type FakeFcm = {
  url: string;
  serviceAccount: FcmServiceAccountJson;
  messages: FakeFcmMessage[];
  tokenRequests: { status: number; error: string | null }[];
  sendRequests: { status: number; error: string | null }[];
  /** A new app installation's registration token. */
  registerToken(): string;
  /** The app was uninstalled: the token answers 404 UNREGISTERED. */
  unregister(token: string): void;
  failNext(count: number, failure: { status: number; status_text: string; retryAfter?: string }): void;
  stop(): Promise<void>;
};

export const GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
const FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const TOKEN_SHAPE = /^[A-Za-z0-9_:-]{20,4096}$/;
const MAX_DATA_BYTES = 4096;

export async function startFakeFcm(options: { projectId?: string } = {}): Promise<FakeFcm> {
  const projectId = options.projectId ?? `sendline-test-${randomBytes(3).toString("hex")}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyId = randomBytes(20).toString("hex");
  const clientEmail = `sendline@${projectId}.iam.gserviceaccount.com`;
  const accessTokens = new Map<string, number>();
  const registered = new Set<string>();
  const messages: FakeFcmMessage[] = [];
  const tokenRequests: FakeFcm["tokenRequests"] = [];
  const sendRequests: FakeFcm["sendRequests"] = [];
  const failures: { status: number; status_text: string; retryAfter?: string }[] = [];

  function token(res: http.ServerResponse, body: string): void {
    const form = new URLSearchParams(body);
    const refuse = (description: string) => {
      tokenRequests.push({ status: 400, error: description });
      sendJson(res, 400, { error: "invalid_grant", error_description: description });
    };
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return refuse("unsupported grant_type");
    const parts = (form.get("assertion") ?? "").split(".");
    if (parts.length !== 3) return refuse("malformed assertion");
    const [h, c, s] = parts as [string, string, string];
    let header: { alg?: string; kid?: string };
    let claims: { iss?: string; scope?: string; aud?: string; iat?: number; exp?: number };
    try {
      header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
      claims = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
    } catch {
      return refuse("assertion is not JSON");
    }
    if (header.alg !== "RS256") return refuse("assertion must be RS256");
    if (header.kid !== undefined && header.kid !== keyId) return refuse("unknown key id");
    if (!verify("RSA-SHA256", Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, "base64url"))) return refuse("Invalid JWT Signature.");
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== clientEmail) return refuse("Invalid issuer");
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return refuse("Invalid audience");
    if (!claims.scope?.split(" ").includes(FCM_SCOPE)) return refuse("Invalid scope");
    if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp <= now || claims.iat > now + 300 || claims.exp - claims.iat > 3600) {
      return refuse("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe");
    }
    const accessToken = `ya29.fake-${randomBytes(24).toString("base64url")}`;
    accessTokens.set(accessToken, Date.now() + 3600_000);
    tokenRequests.push({ status: 200, error: null });
    sendJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
  }

  function send(req: http.IncomingMessage, res: http.ServerResponse, project: string, body: string): void {
    const fail = (status: number, statusText: string, message: string, details: unknown[] = [], headers: Record<string, string> = {}) => {
      sendRequests.push({ status, error: statusText });
      sendJson(res, status, { error: { code: status, message, status: statusText, details } }, headers);
    };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const expiresAt = bearer ? accessTokens.get(bearer) : undefined;
    if (!expiresAt || expiresAt < Date.now()) return fail(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.");
    if (project !== projectId) return fail(403, "PERMISSION_DENIED", `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}'`);
    const injected = failures.shift();
    if (injected) return fail(injected.status, injected.status_text, "injected failure", [fcmError(injected.status_text)], injected.retryAfter ? { "retry-after": injected.retryAfter } : {});
    let parsed: { message?: Record<string, unknown>; validate_only?: boolean };
    try {
      parsed = JSON.parse(body);
    } catch {
      return fail(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    const message = parsed.message;
    if (!message || typeof message !== "object") return fail(400, "INVALID_ARGUMENT", "message is required");
    const unknownField = Object.keys(message).find((key) => !["token", "topic", "condition", "notification", "data", "android", "webpush", "apns", "fcm_options", "name"].includes(key));
    if (unknownField) return fail(400, "INVALID_ARGUMENT", `Invalid JSON payload received. Unknown name "${unknownField}" at 'message'`);
    const targets = ["token", "topic", "condition"].filter((key) => message[key] !== undefined);
    if (targets.length !== 1) return fail(400, "INVALID_ARGUMENT", "exactly one of token, topic or condition is required");
    const data = (message.data ?? {}) as Record<string, unknown>;
    if (Object.values(data).some((value) => typeof value !== "string")) return fail(400, "INVALID_ARGUMENT", "data values must be strings", [badRequest("message.data", "Invalid value")]);
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) return fail(400, "INVALID_ARGUMENT", "Android message is too big", [fcmError("INVALID_ARGUMENT")]);
    const notification = (message.notification ?? null) as { title?: unknown; body?: unknown } | null;
    if (notification && ((notification.title !== undefined && typeof notification.title !== "string") || (notification.body !== undefined && typeof notification.body !== "string"))) {
      return fail(400, "INVALID_ARGUMENT", "notification title and body must be strings");
    }
    const target = String(message.token);
    if (!TOKEN_SHAPE.test(target)) {
      return fail(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", [fcmError("INVALID_ARGUMENT"), badRequest("message.token", "Invalid registration token")]);
    }
    if (!registered.has(target)) return fail(404, "NOT_FOUND", "Requested entity was not found.", [fcmError("UNREGISTERED")]);
    const name = `projects/${projectId}/messages/${randomUUID()}`;
    if (!parsed.validate_only) messages.push({ name, token: target, notification: notification as FakeFcmMessage["notification"], data: data as Record<string, string>, webpush: message.webpush ?? null });
    sendRequests.push({ status: 200, error: null });
    sendJson(res, 200, { name });
  }

  const server: LoopbackServer = await startLoopbackServer((req, res, body) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method === "POST" && path === "/token") return token(res, body);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (req.method === "POST" && match) return send(req, res, decodeURIComponent(match[1]!), body);
    sendJson(res, 404, { error: { code: 404, status: "NOT_FOUND", message: "no such route" } });
  });

  return {
    url: server.url,
    serviceAccount: {
      type: "service_account",
      project_id: projectId,
      private_key_id: keyId,
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: clientEmail,
      token_uri: `${server.url}/token`,
    },
    messages,
    tokenRequests,
    sendRequests,
    registerToken() {
      const value = `${randomBytes(11).toString("base64url")}:APA91b${randomBytes(100).toString("base64url")}`;
      registered.add(value);
      return value;
    },
    unregister(value) {
      registered.delete(value);
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    stop: () => server.stop(),
  };
}

const fcmError = (errorCode: string) => ({ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode });
const badRequest = (field: string, description: string) => ({ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field, description }] });
