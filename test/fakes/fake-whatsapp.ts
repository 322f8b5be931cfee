import { createHmac, randomBytes } from "node:crypto";
import type http from "node:http";
import type { FakeFailure, FakeRequest } from "./fake-resend";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server";

/**
 * A loopback stand-in for the WhatsApp Business Cloud API (Graph `POST /{version}/{phone-number-id}/messages`),
 * checking what Meta checks: the bearer token, the phone-number id, the message object
 * (messaging_product, to, type text|template, a template's name, language and body parameter
 * count against the templates it knows as approved), and answering errors in Graph's shape with
 * Meta's codes. Like Meta it does not de-duplicate: an `Idempotency-Key` seen twice is counted.
 * It also plays Meta's side of the webhooks: `postStatus` and `postInbound` POST notifications,
 * signed with X-Hub-Signature-256, to the app.
 */

export type FakeWhatsAppTemplate = { name: string; language: string; bodyParameters: number };

export type FakeWhatsAppOptions = {
  accessToken?: string;
  phoneNumberId?: string;
  apiVersion?: string;
  appSecret?: string;
  templates?: FakeWhatsAppTemplate[];
  /** Where status and inbound webhooks are posted (the app's /api/webhooks/whatsapp). */
  webhookUrl?: string;
};

export type FakeWhatsAppMessage = {
  id: string;
  to: string;
  type: "text" | "template";
  text: string | null;
  template: { name: string; language: string; parameters: string[] } | null;
  idempotencyKey: string | null;
  /** A text message sent while the customer's 24-hour window was closed: Meta accepts it, then reports failed with 131047. */
  outsideWindow: boolean;
};

export type FakeWhatsApp = {
  url: string;
  accessToken: string;
  phoneNumberId: string;
  apiVersion: string;
  appSecret: string;
  messages: FakeWhatsAppMessage[];
  requests: FakeRequest[];
  counters: { requests: number; accepted: number; duplicates: number; injectedFailures: number };
  failNext(count: number, failure?: FakeFailure): void;
  /** Posts a status notification for a sent message; a text sent outside the window reports failed (131047) whatever is asked. */
  postStatus(messageId: string, status: "sent" | "delivered" | "read" | "failed", error?: { code: number; title: string; details?: string }): Promise<Response>;
  /** Posts an inbound message from `from` (E.164) and opens its 24-hour window here too. */
  postInbound(from: string, text: string): Promise<Response>;
  stop(): Promise<void>;
};

const TEXT_BODY_MAX_CHARS = 4_096;
const WINDOW_MS = 24 * 60 * 60 * 1000;

export async function startFakeWhatsApp(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  const accessToken = options.accessToken ?? `EAAG${randomBytes(24).toString("hex")}`;
  const phoneNumberId = options.phoneNumberId ?? String(100_000_000_000_000 + Math.floor(Math.random() * 1e14));
  const apiVersion = options.apiVersion ?? "v21.0";
  const appSecret = options.appSecret ?? randomBytes(16).toString("hex");
  const templates = options.templates ?? [];
  const messages: FakeWhatsAppMessage[] = [];
  const byId = new Map<string, FakeWhatsAppMessage>();
  const lastInbound = new Map<string, number>();
  const seenKeys = new Set<string>();
  const failures: FakeFailure[] = [];
  const requests: FakeRequest[] = [];
  const counters = { requests: 0, accepted: 0, duplicates: 0, injectedFailures: 0 };
  const messagesPath = `/${apiVersion}/${phoneNumberId}/messages`;

  function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const method = req.method ?? "GET";
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
    counters.requests += 1;
    const answer = (status: number, body: unknown) => {
      requests.push({ method, path, status, idempotencyKey, atMs: Date.now() });
      sendJson(res, status, body, status === 401 ? { "www-authenticate": 'OAuth "Facebook Platform" "invalid_token"' } : {});
    };

    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return answer(401, graphError(190, "Invalid OAuth access token - Cannot parse access token", "OAuthException"));
    }
    if (failures[0]) {
      const failure = failures.shift()!;
      counters.injectedFailures += 1;
      if (failure.hang) return void requests.push({ method, path, status: 0, idempotencyKey, atMs: Date.now() });
      const status = failure.status ?? 500;
      return answer(status, status === 429 ? graphError(130429, "Rate limit hit", "OAuthException", "Cloud API message throughput has been reached.") : graphError(131000, "Something went wrong", "OAuthException"));
    }
    if (method !== "POST" || !/^\/v\d+\.\d+\/[^/]+\/messages$/.test(path)) {
      return answer(400, graphError(100, `Unknown path components: ${path}`, "OAuthException"));
    }
    if (path !== messagesPath) {
      const id = path.split("/")[2];
      return answer(400, graphError(100, `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, "GraphMethodException", undefined, 33));
    }
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return answer(400, graphError(100, "(#100) Invalid parameter", "OAuthException", "Expected a JSON body"));
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      return answer(400, graphError(100, "(#100) Invalid parameter", "OAuthException", "The body is not JSON"));
    }
    const result = create(body, idempotencyKey);
    answer(result.status, result.body);
  }

  function create(body: Record<string, unknown>, idempotencyKey: string | null): { status: number; body: unknown } {
    if (body.messaging_product !== "whatsapp") return bad(100, "(#100) The parameter messaging_product is required.");
    const to = typeof body.to === "string" ? body.to.replace(/^\+/, "") : "";
    if (!/^\d{6,15}$/.test(to)) return bad(100, "(#100) Invalid parameter", "Parameter 'to' is not a valid phone number");
    let message: FakeWhatsAppMessage;
    const id = `wamid.${Buffer.from(randomBytes(18)).toString("base64url")}`;
    if (body.type === "text") {
      const text = (body.text as { body?: unknown } | undefined)?.body;
      if (typeof text !== "string" || !text) return bad(100, "(#100) The parameter text['body'] is required.");
      if (text.length > TEXT_BODY_MAX_CHARS) return bad(100, "(#100) Param text['body'] must be at most 4096 characters long.");
      const opened = lastInbound.get(to);
      message = { id, to, type: "text", text, template: null, idempotencyKey, outsideWindow: opened === undefined || Date.now() - opened >= WINDOW_MS };
    } else if (body.type === "template") {
      const template = body.template as { name?: unknown; language?: { code?: unknown }; components?: unknown } | undefined;
      if (!template || typeof template.name !== "string") return bad(100, "(#100) The parameter template['name'] is required.");
      if (typeof template.language?.code !== "string") return bad(100, "(#100) The parameter template['language'] is required.");
      const known = templates.find((candidate) => candidate.name === template.name && candidate.language === template.language!.code);
      if (!known) return bad(132001, "Template name does not exist in the translation", `template name (${template.name}) does not exist in ${template.language.code}`);
      const parameters = bodyParameters(template.components);
      if (parameters === null) return bad(100, "(#100) Invalid parameter", "components must be an array of { type, parameters: [{ type: 'text', text }] }");
      if (parameters.length !== known.bodyParameters) {
        return bad(132000, "Number of parameters does not match the expected number of params", `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${known.bodyParameters})`);
      }
      message = { id, to, type: "template", text: null, template: { name: known.name, language: known.language, parameters }, idempotencyKey, outsideWindow: false };
    } else {
      return bad(100, "(#100) Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO}");
    }
    if (idempotencyKey) {
      if (seenKeys.has(idempotencyKey)) counters.duplicates += 1;
      seenKeys.add(idempotencyKey);
    }
    messages.push(message);
    byId.set(message.id, message);
    counters.accepted += 1;
    return { status: 200, body: { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: to }], messages: [{ id: message.id }] } };
  }

  async function post(value: Record<string, unknown>): Promise<Response> {
    if (!options.webhookUrl) throw new Error("fake whatsapp: no webhookUrl to post to");
    const body = JSON.stringify(whatsappWebhookBody(phoneNumberId, value));
    return fetch(options.webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signWhatsAppWebhook(appSecret, body) }, body });
  }

  const server: LoopbackServer = await startLoopbackServer(handle);
  return {
    url: server.url,
    accessToken,
    phoneNumberId,
    apiVersion,
    appSecret,
    messages,
    requests,
    counters,
    failNext(count, failure = { status: 500 }) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    postStatus(messageId, status, error) {
      const message = byId.get(messageId);
      if (!message) throw new Error(`fake whatsapp: no message ${messageId}`);
      const failure = message.outsideWindow
        ? { code: 131047, title: "Re-engagement message", details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." }
        : error;
      return post({ statuses: [whatsappStatus(message.id, message.to, failure ? "failed" : status, failure)] });
    },
    postInbound(from, text) {
      const waId = from.replace(/^\+/, "");
      lastInbound.set(waId, Date.now());
      return post({ contacts: [{ profile: { name: "Test" }, wa_id: waId }], messages: [whatsappInbound(waId, text)] });
    },
    stop: () => server.stop(),
  };

  function bad(code: number, message: string, details?: string) {
    return { status: 400, body: graphError(code, message, "OAuthException", details) };
  }
}

/** The `parameters` of a template's body component, or null for a shape Meta refuses. */
function bodyParameters(components: unknown): string[] | null {
  if (components === undefined) return [];
  if (!Array.isArray(components)) return null;
  const body = components.find((component) => (component as { type?: unknown }).type === "body") as { parameters?: unknown } | undefined;
  if (!body) return [];
  if (!Array.isArray(body.parameters)) return null;
  const texts = body.parameters.map((parameter) => ((parameter as { type?: unknown }).type === "text" && typeof (parameter as { text?: unknown }).text === "string" ? (parameter as { text: string }).text : null));
  return texts.every((text) => text !== null) ? (texts as string[]) : null;
}

export function graphError(code: number, message: string, type: string, details?: string, subcode?: number) {
  return {
    error: {
      message,
      type,
      code,
      ...(subcode !== undefined ? { error_subcode: subcode } : {}),
      ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
      fbtrace_id: randomBytes(8).toString("base64url"),
    },
  };
}

/** X-Hub-Signature-256 as Meta computes it (written out independently of the app's verifier). */
export function signWhatsAppWebhook(appSecret: string, body: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(Buffer.from(body, "utf8")).digest("hex")}`;
}

/** A notification POST in Meta's envelope: one entry, one `messages` change. */
export function whatsappWebhookBody(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId }, ...value } }],
      },
    ],
  };
}

export function whatsappStatus(id: string, recipient: string, status: string, error?: { code: number; title: string; details?: string }) {
  return {
    id,
    status,
    timestamp: String(Math.floor(Date.now() / 1000)),
    recipient_id: recipient.replace(/^\+/, ""),
    ...(status === "sent" || status === "delivered" ? { conversation: { id: randomBytes(16).toString("hex"), origin: { type: "utility" } }, pricing: { billable: true, pricing_model: "PMP", category: "utility" } } : {}),
    ...(error ? { errors: [{ code: error.code, title: error.title, message: error.title, error_data: { details: error.details ?? error.title } }] } : {}),
  };
}

export function whatsappInbound(waId: string, text: string, id = `wamid.${randomBytes(18).toString("base64url")}`) {
  return { from: waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } };
}
