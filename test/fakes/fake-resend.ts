import { createHash, randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import { Webhook } from "svix";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server";
import { type RateLimit, TokenBucket } from "./token-bucket";

/**
 * A loopback stand-in for the Resend API, faithful where Sendline depends on it: Bearer auth,
 * the 2 requests/second limit with 429 + `retry-after` + `ratelimit-*` headers, 24-hour
 * `Idempotency-Key` semantics (replay, 409 on a changed payload), strict and permissive batch
 * validation, 100 emails per batch. Driven by the real `resend` SDK via its base URL.
 */

export type FakeResendOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  apiKey?: string;
  /** Default: Resend's 2 requests per 1,000 ms. `false` turns the limit off. */
  rateLimit?: RateLimit | false;
  /** Added before every answer, to model a provider's response time in benchmarks. */
  latencyMs?: number;
  /**
   * false: accepted emails are kept without their html and text (a benchmark sending 100,000
   * emails would otherwise hold every body, and its process's RSS would measure the fake).
   */
  keepBodies?: boolean;
};

/** What to do with the next requests. `afterAccept` processes the request first: the email is accepted, the answer lost. */
export type FakeFailure = { status?: number; hang?: boolean; afterAccept?: boolean };

export type FakeResendEmail = {
  id: string;
  /** The request's Idempotency-Key; for batch emails, the batch's key. */
  idempotencyKey: string | null;
  /** Position in its batch request, or null for `POST /emails`. */
  batchIndex: number | null;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  lastEvent: string;
  createdAt: string;
};

export type FakeRequest = { method: string; path: string; status: number; idempotencyKey: string | null; atMs: number };

export type FakeResendCounters = {
  requests: number;
  /** Emails accepted (each email of a batch counts). */
  accepted: number;
  rateLimited: number;
  /** Requests answered from the idempotency store instead of sending again. */
  duplicates: number;
  injectedFailures: number;
};

export type FakeResend = {
  url: string;
  apiKey: string;
  emails: FakeResendEmail[];
  requests: FakeRequest[];
  /** Idempotency keys that arrived again and were replayed, in order. */
  duplicateKeys: string[];
  counters: FakeResendCounters;
  /** The next `count` authenticated requests fail as described (default: 500). */
  failNext(count: number, failure?: FakeFailure): void;
  /** Drops every injected failure not yet used: "Resend" answers normally again. */
  heal(): void;
  /** Message ids (the `message_id` tag) accepted more than once: must stay empty. */
  duplicateSends(): string[];
  /** Sets what `GET /emails/:id` reports, as webhooks would have moved it. */
  setLastEvent(emailId: string, lastEvent: string): void;
  stop(): Promise<void>;
};

const BATCH_LIMIT = 100;
const RECIPIENT_LIMIT = 50;
const IDEMPOTENCY_KEY_MAX = 256;
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const NAMED_ADDRESS = /^[^<>]*<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/;

type StoredAnswer = { fingerprint: string; status: number; body: unknown };
type ApiEmail = Record<string, unknown>;

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const apiKey = options.apiKey ?? `re_fake_${randomBytes(12).toString("hex")}`;
  const limit = options.rateLimit === undefined ? { requests: 2, windowMs: 1_000 } : options.rateLimit;
  const bucket = limit ? new TokenBucket(limit) : null;
  const idempotency = new Map<string, StoredAnswer>();
  const failures: FakeFailure[] = [];
  const emails: FakeResendEmail[] = [];
  const byId = new Map<string, FakeResendEmail>();
  const requests: FakeRequest[] = [];
  const duplicateKeys: string[] = [];
  const counters: FakeResendCounters = { requests: 0, accepted: 0, rateLimited: 0, duplicates: 0, injectedFailures: 0 };

  function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const path = new URL(req.url ?? "/", "http://fake").pathname.replace(/\/+$/, "");
    const method = req.method ?? "GET";
    const idempotencyKey = header(req, "idempotency-key");
    counters.requests += 1;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method, path, status, idempotencyKey, atMs: Date.now() });
      const write = () => sendJson(res, status, body, headers);
      if (options.latencyMs) setTimeout(write, options.latencyMs);
      else write();
    };

    const authorization = header(req, "authorization");
    if (!authorization?.startsWith("Bearer ")) return answer(401, apiError(401, "missing_api_key", "Missing API key in the authorization header."));
    if (authorization.slice("Bearer ".length) !== apiKey) return answer(403, apiError(403, "invalid_api_key", "API key is invalid."));

    // A hung request is logged with status 0 and never answered; stop() drops the socket.
    const fail = (failure: FakeFailure) => {
      counters.injectedFailures += 1;
      if (failure.hang) return void requests.push({ method, path, status: 0, idempotencyKey, atMs: Date.now() });
      const status = failure.status ?? 500;
      answer(status, apiError(status, status >= 500 ? "internal_server_error" : "application_error", "Injected failure."));
    };
    if (failures[0] && !failures[0].afterAccept) return fail(failures.shift()!);

    let rateHeaders: Record<string, string> = {};
    if (bucket) {
      const taken = bucket.take();
      rateHeaders = {
        "ratelimit-limit": String(bucket.limit.requests),
        "ratelimit-remaining": String(taken.ok ? taken.remaining : 0),
        "ratelimit-reset": String(Math.ceil(taken.resetMs / 1000)),
      };
      if (!taken.ok) {
        counters.rateLimited += 1;
        const retryAfterSeconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
        return answer(
          429,
          apiError(429, "rate_limit_exceeded", `Too many requests. You can only make ${bucket.limit.requests} requests per second.`),
          { ...rateHeaders, "retry-after": String(retryAfterSeconds) },
        );
      }
    }

    const { status, body } = route(method, path, rawBody, idempotencyKey, header(req, "x-batch-validation"));
    if (failures[0]?.afterAccept) return fail(failures.shift()!);
    answer(status, body, rateHeaders);
  }

  function route(
    method: string,
    path: string,
    rawBody: string,
    idempotencyKey: string | null,
    batchValidation: string | null,
  ): { status: number; body: unknown } {
    const emailMatch = /^\/emails\/([^/]+)$/.exec(path);
    if (method === "GET" && emailMatch && emailMatch[1] !== "batch") return getEmail(emailMatch[1]!);
    if (path !== "/emails" && path !== "/emails/batch") return { status: 404, body: apiError(404, "not_found", "The requested endpoint could not be found.") };
    if (method !== "POST") return { status: 405, body: apiError(405, "method_not_allowed", "Method is not allowed.") };

    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: apiError(400, "validation_error", "Invalid JSON body.") };
    }
    if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX)) {
      return { status: 400, body: apiError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.") };
    }
    if (idempotencyKey !== null) {
      const fingerprint = createHash("sha256").update(`${path}\n${batchValidation ?? ""}\n${rawBody}`).digest("hex");
      const stored = idempotency.get(idempotencyKey);
      if (stored && stored.fingerprint !== fingerprint) {
        return {
          status: 409,
          body: apiError(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload."),
        };
      }
      if (stored) {
        counters.duplicates += 1;
        duplicateKeys.push(idempotencyKey);
        return { status: stored.status, body: stored.body };
      }
      const result = path === "/emails" ? createEmail(payload, idempotencyKey) : createBatch(payload, idempotencyKey, batchValidation);
      // Like Resend, only a processed request is remembered; a rejected one may be retried as is.
      if (result.status === 200) idempotency.set(idempotencyKey, { fingerprint, ...result });
      return result;
    }
    return path === "/emails" ? createEmail(payload, null) : createBatch(payload, null, batchValidation);
  }

  function createEmail(payload: unknown, idempotencyKey: string | null): { status: number; body: unknown } {
    const problem = validate(payload);
    if (problem) return { status: 422, body: apiError(422, problem.name, problem.message) };
    return { status: 200, body: { id: accept(payload as ApiEmail, idempotencyKey, null).id } };
  }

  function createBatch(payload: unknown, idempotencyKey: string | null, batchValidation: string | null): { status: number; body: unknown } {
    if (!Array.isArray(payload)) return { status: 422, body: apiError(422, "validation_error", "The batch must be an array of emails.") };
    if (payload.length > BATCH_LIMIT) {
      return { status: 422, body: apiError(422, "validation_error", `Too many emails in batch: the limit is ${BATCH_LIMIT}.`) };
    }
    const problems = payload.map((email) => validate(email));
    if (batchValidation !== "permissive") {
      const index = problems.findIndex(Boolean);
      if (index >= 0) return { status: 422, body: apiError(422, problems[index]!.name, `emails[${index}]: ${problems[index]!.message}`) };
    }
    const data: { id: string }[] = [];
    const errors: { index: number; message: string }[] = [];
    payload.forEach((email: ApiEmail, index) => {
      const problem = problems[index];
      if (problem) errors.push({ index, message: problem.message });
      else data.push({ id: accept(email, idempotencyKey, index).id });
    });
    return { status: 200, body: batchValidation === "permissive" ? { data, errors } : { data } };
  }

  function accept(email: ApiEmail, idempotencyKey: string | null, batchIndex: number | null): FakeResendEmail {
    const stored: FakeResendEmail = {
      id: randomUUID(),
      idempotencyKey,
      batchIndex,
      from: email.from as string,
      to: list(email.to),
      cc: list(email.cc),
      bcc: list(email.bcc),
      replyTo: list(email.reply_to),
      subject: email.subject as string,
      html: options.keepBodies === false ? null : ((email.html as string | undefined) ?? null),
      text: options.keepBodies === false ? null : ((email.text as string | undefined) ?? null),
      headers: (email.headers as Record<string, string> | undefined) ?? {},
      tags: (email.tags as { name: string; value: string }[] | undefined) ?? [],
      lastEvent: "sent",
      createdAt: new Date().toISOString(),
    };
    emails.push(stored);
    byId.set(stored.id, stored);
    counters.accepted += 1;
    return stored;
  }

  function getEmail(id: string): { status: number; body: unknown } {
    const email = byId.get(id);
    if (!email) return { status: 404, body: apiError(404, "not_found", "Email not found") };
    return {
      status: 200,
      body: {
        object: "email",
        id: email.id,
        to: email.to,
        from: email.from,
        created_at: email.createdAt,
        subject: email.subject,
        html: email.html,
        text: email.text,
        bcc: email.bcc,
        cc: email.cc,
        reply_to: email.replyTo,
        last_event: email.lastEvent,
        scheduled_at: null,
        tags: email.tags,
      },
    };
  }

  const server: LoopbackServer = await startLoopbackServer(handle, options.port ?? 0);
  return {
    url: server.url,
    apiKey,
    emails,
    requests,
    duplicateKeys,
    counters,
    failNext(count, failure = { status: 500 }) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    heal() {
      failures.length = 0;
    },
    duplicateSends() {
      const seen = new Map<string, number>();
      for (const email of emails) {
        const messageId = email.tags.find((tag) => tag.name === "message_id")?.value;
        if (messageId) seen.set(messageId, (seen.get(messageId) ?? 0) + 1);
      }
      return [...seen].filter(([, count]) => count > 1).map(([messageId]) => messageId);
    },
    setLastEvent(emailId, lastEvent) {
      const email = byId.get(emailId);
      if (!email) throw new Error(`fake resend: no email ${emailId}`);
      email.lastEvent = lastEvent;
    },
    stop: () => server.stop(),
  };
}

function apiError(statusCode: number, name: string, message: string) {
  return { statusCode, name, message };
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function list(value: unknown): string[] {
  if (value == null) return [];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

function isAddress(value: unknown): boolean {
  return typeof value === "string" && (ADDRESS.test(value.trim()) || NAMED_ADDRESS.test(value.trim()));
}

/** Resend's checks that matter to us: required fields, address syntax, 50 recipients. */
function validate(email: unknown): { name: string; message: string } | null {
  if (typeof email !== "object" || email === null || Array.isArray(email)) return { name: "validation_error", message: "Each email must be an object." };
  const e = email as ApiEmail;
  for (const field of ["from", "to", "subject"]) {
    if (e[field] == null || e[field] === "") return { name: "missing_required_field", message: `The \`${field}\` field is missing.` };
  }
  if (e.html == null && e.text == null) return { name: "missing_required_field", message: "Either `html` or `text` must be provided." };
  if (!isAddress(e.from)) return { name: "validation_error", message: "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format." };
  const recipients = list(e.to);
  if (recipients.length > RECIPIENT_LIMIT) return { name: "validation_error", message: `Too many recipients: the limit is ${RECIPIENT_LIMIT}.` };
  const bad = [...recipients, ...list(e.cc), ...list(e.bcc), ...list(e.reply_to)].find((address) => !isAddress(address));
  if (bad !== undefined) return { name: "validation_error", message: `Invalid address: ${String(bad)}` };
  return null;
}

/**
 * A Resend webhook about an email this fake accepted, shaped like Resend's email.* payloads:
 * `data.email_id` is the fake's id and `data.tags` the tags the email was sent with.
 */
export function resendWebhookPayload(
  email: Pick<FakeResendEmail, "id" | "from" | "to" | "subject" | "tags" | "createdAt">,
  type: string,
  extra: Record<string, unknown> = {},
  createdAt = new Date(),
): Record<string, unknown> {
  return {
    type,
    created_at: createdAt.toISOString(),
    data: {
      created_at: email.createdAt,
      email_id: email.id,
      from: email.from,
      to: email.to,
      subject: email.subject,
      tags: Object.fromEntries(email.tags.map((tag) => [tag.name, tag.value])),
      ...extra,
    },
  };
}

/** Signs a webhook body the way Resend (Svix) does, with the real `svix` package: the headers to send with it. */
export function signResendWebhook(
  secret: string,
  body: string,
  options: { id?: string; timestamp?: Date } = {},
): { "svix-id": string; "svix-timestamp": string; "svix-signature": string } {
  const id = options.id ?? `msg_${randomBytes(12).toString("hex")}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    "svix-id": id,
    "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "svix-signature": new Webhook(secret).sign(id, timestamp, body),
  };
}

/** A fresh Svix-style signing secret (`whsec_` + base64 key), as Resend shows for a webhook endpoint. */
export function newResendWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}
