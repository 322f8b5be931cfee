import { createHmac, randomBytes } from "node:crypto";
import type http from "node:http";
import { countSegments } from "@/lib/providers/sms/count-segments";
import type { FakeFailure, FakeRequest } from "./fake-resend";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server";
import { type RateLimit, TokenBucket } from "./token-bucket";

/**
 * A loopback stand-in for Twilio's Messages API (2010-04-01): Basic auth with the account
 * SID and auth token, form-encoded creates, Twilio's error bodies and codes. Like Twilio it
 * does NOT de-duplicate: an `Idempotency-Key` seen twice sends twice and is counted, so tests
 * and benchmarks can prove the caller never repeats itself.
 */

export type FakeTwilioOptions = {
  port?: number;
  accountSid?: string;
  authToken?: string;
  /** Off by default (Twilio queues per sender rather than refusing); set one to exercise 429 / 20429. */
  rateLimit?: RateLimit | false;
  latencyMs?: number;
};

export type FakeTwilioMessage = {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  /** A WhatsApp template sent as Twilio Content: its SID and variables. */
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  idempotencyKey: string | null;
  numSegments: number;
  status: string;
  dateCreated: string;
};

export type FakeTwilioCounters = { requests: number; accepted: number; rateLimited: number; duplicates: number; injectedFailures: number };

export type FakeTwilio = {
  url: string;
  accountSid: string;
  authToken: string;
  messages: FakeTwilioMessage[];
  requests: FakeRequest[];
  counters: FakeTwilioCounters;
  failNext(count: number, failure?: FakeFailure): void;
  /** Sets what `GET …/Messages/{sid}.json` reports (delivered, undelivered, …). */
  setStatus(sid: string, status: string): void;
  stop(): Promise<void>;
};

const E164 = /^\+[1-9]\d{1,14}$/;
const BODY_LIMIT_CHARS = 1600;

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString("hex")}`;
  const authToken = options.authToken ?? randomBytes(16).toString("hex");
  const bucket = options.rateLimit ? new TokenBucket(options.rateLimit) : null;
  const messages: FakeTwilioMessage[] = [];
  const bySid = new Map<string, FakeTwilioMessage>();
  const seenKeys = new Set<string>();
  const failures: FakeFailure[] = [];
  const requests: FakeRequest[] = [];
  const counters: FakeTwilioCounters = { requests: 0, accepted: 0, rateLimited: 0, duplicates: 0, injectedFailures: 0 };
  const base = `/2010-04-01/Accounts/${accountSid}/Messages`;

  function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const method = req.method ?? "GET";
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
    counters.requests += 1;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method, path, status, idempotencyKey, atMs: Date.now() });
      const write = () => sendJson(res, status, body, headers);
      if (options.latencyMs) setTimeout(write, options.latencyMs);
      else write();
    };
    const fail = (failure: FakeFailure) => {
      counters.injectedFailures += 1;
      if (failure.hang) return void requests.push({ method, path, status: 0, idempotencyKey, atMs: Date.now() });
      const status = failure.status ?? 500;
      answer(status, twilioError(status, status === 429 ? 20429 : 20500, "Injected failure."));
    };

    if (req.headers.authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`) {
      return answer(401, twilioError(401, 20003, "Authenticate"));
    }
    if (failures[0] && !failures[0].afterAccept) return fail(failures.shift()!);
    if (bucket && !bucket.take().ok) {
      counters.rateLimited += 1;
      return answer(429, twilioError(429, 20429, "Too Many Requests"));
    }

    const { status, body } = route(method, path, rawBody, idempotencyKey);
    if (failures[0]?.afterAccept) return fail(failures.shift()!);
    answer(status, body);
  }

  function route(method: string, path: string, rawBody: string, idempotencyKey: string | null): { status: number; body: unknown } {
    if (path === `${base}.json` && method === "POST") return create(new URLSearchParams(rawBody), idempotencyKey);
    const fetchMatch = path.startsWith(`${base}/`) && path.endsWith(".json") ? path.slice(base.length + 1, -".json".length) : null;
    if (fetchMatch && method === "GET") {
      const message = bySid.get(fetchMatch);
      return message ? { status: 200, body: resource(message) } : { status: 404, body: twilioError(404, 20404, `The requested resource ${path} was not found`) };
    }
    return { status: 404, body: twilioError(404, 20404, `The requested resource ${path} was not found`) };
  }

  function create(form: URLSearchParams, idempotencyKey: string | null): { status: number; body: unknown } {
    const to = form.get("To");
    const from = form.get("From");
    // WhatsApp goes through the same API with `whatsapp:` addresses; both ends must use the channel.
    const whatsapp = to?.startsWith("whatsapp:") ?? false;
    if (whatsapp !== (from?.startsWith("whatsapp:") ?? false)) {
      return { status: 400, body: twilioError(400, 63007, "Twilio could not find a Channel with the specified From address") };
    }
    const contentSid = form.get("ContentSid");
    let contentVariables: Record<string, string> | null = null;
    if (contentSid) {
      if (!whatsapp || !/^HX[0-9a-f]{32}$/.test(contentSid)) return { status: 400, body: twilioError(400, 21655, "The ContentSid is Invalid") };
      try {
        contentVariables = JSON.parse(form.get("ContentVariables") ?? "{}") as Record<string, string>;
      } catch {
        return { status: 400, body: twilioError(400, 21656, "The ContentVariables Parameter is invalid") };
      }
    }
    const messagingServiceSid = form.get("MessagingServiceSid");
    const body = form.get("Body");
    if (!to) return { status: 400, body: twilioError(400, 21604, "A 'To' phone number is required.") };
    if (!E164.test(whatsapp ? to.slice("whatsapp:".length) : to)) return { status: 400, body: twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`) };
    if (!from && !messagingServiceSid) return { status: 400, body: twilioError(400, 21603, "A 'From' phone number is required.") };
    if (!body && !contentSid) return { status: 400, body: twilioError(400, 21602, "Message body is required.") };
    if (body && body.length > BODY_LIMIT_CHARS) {
      return { status: 400, body: twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.") };
    }
    if (idempotencyKey) {
      if (seenKeys.has(idempotencyKey)) counters.duplicates += 1;
      seenKeys.add(idempotencyKey);
    }
    const message: FakeTwilioMessage = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      to,
      from,
      messagingServiceSid,
      body: body ?? "",
      contentSid,
      contentVariables,
      statusCallback: form.get("StatusCallback"),
      idempotencyKey,
      numSegments: countSegments(body ?? "").segments,
      status: messagingServiceSid ? "accepted" : "queued",
      dateCreated: new Date().toUTCString(),
    };
    messages.push(message);
    bySid.set(message.sid, message);
    counters.accepted += 1;
    return { status: 201, body: resource(message) };
  }

  function resource(message: FakeTwilioMessage) {
    return {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body: message.body,
      date_created: message.dateCreated,
      date_sent: null,
      date_updated: message.dateCreated,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: message.from,
      messaging_service_sid: message.messagingServiceSid,
      num_media: "0",
      num_segments: String(message.numSegments),
      price: null,
      price_unit: "USD",
      sid: message.sid,
      status: message.status,
      to: message.to,
      uri: `${base}/${message.sid}.json`,
    };
  }

  const server: LoopbackServer = await startLoopbackServer(handle, options.port ?? 0);
  return {
    url: server.url,
    accountSid,
    authToken,
    messages,
    requests,
    counters,
    failNext(count, failure = { status: 500 }) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    setStatus(sid, status) {
      const message = bySid.get(sid);
      if (!message) throw new Error(`fake twilio: no message ${sid}`);
      message.status = status;
    },
    stop: () => server.stop(),
  };
}

function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/**
 * X-Twilio-Signature as Twilio computes it (its documented algorithm, written out here
 * independently of the app's verifier): HMAC-SHA1 keyed by the auth token over the URL followed
 * by every POST parameter name + value, sorted by name, base64.
 */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf-8")).digest("base64");
}

/** The form fields of a status callback Twilio posts for one of this fake's messages. */
export function twilioStatusCallbackParams(
  message: Pick<FakeTwilioMessage, "sid" | "to" | "from">,
  status: string,
  accountSid: string,
  errorCode?: string,
): Record<string, string> {
  return {
    AccountSid: accountSid,
    ApiVersion: "2010-04-01",
    From: message.from ?? "",
    MessageSid: message.sid,
    MessageStatus: status,
    SmsSid: message.sid,
    SmsStatus: status,
    To: message.to,
    ...(errorCode ? { ErrorCode: errorCode } : {}),
  };
}

/** The form fields Twilio posts for an SMS someone sent to one of our numbers. */
export function twilioInboundParams(params: { from: string; to: string; body: string; accountSid: string; sid?: string }): Record<string, string> {
  const sid = params.sid ?? `SM${randomBytes(16).toString("hex")}`;
  return {
    AccountSid: params.accountSid,
    ApiVersion: "2010-04-01",
    Body: params.body,
    From: params.from,
    MessageSid: sid,
    NumMedia: "0",
    NumSegments: "1",
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: "received",
    To: params.to,
  };
}
