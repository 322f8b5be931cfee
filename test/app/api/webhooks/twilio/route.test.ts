import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getWebhookEvent } from "@/db/queries/webhook-events";
import { signTwilioRequest, twilioInboundParams, twilioStatusCallbackParams } from "@/test/fakes/fake-twilio";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const authToken = randomBytes(16).toString("hex");
// Only used to compute the URL Twilio signed; nothing is ever sent there.
const PUBLIC_URL = "https://hooks.sendline.test";
const { POST } = await import("@/app/api/webhooks/twilio/route");

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});
beforeEach(() => {
  Object.assign(process.env, { TWILIO_AUTH_TOKEN: authToken, PUBLIC_URL });
  delete process.env.TWILIO_STATUS_CALLBACK_URL;
});

const ACCOUNT = `AC${randomBytes(16).toString("hex")}`;
const outbound = () => ({ sid: `SM${randomBytes(16).toString("hex")}`, to: "+14155550100", from: "+14155550999" });

/** Posts form fields as Twilio does; the app is reached at a private host while Twilio signed the public URL. */
async function post(pathAndQuery: string, params: Record<string, string>, signature: string | null) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  const request = new Request(`http://10.0.0.7:3000${pathAndQuery}`, { method: "POST", headers, body: new URLSearchParams(params).toString() });
  const response = await POST(request);
  const text = await response.text();
  return { status: response.status, text, json: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null, response };
}
const signed = (pathAndQuery: string, params: Record<string, string>, token = authToken, base = PUBLIC_URL) =>
  post(pathAndQuery, params, signTwilioRequest(token, `${base}${pathAndQuery}`, params));
const eventsFor = (deliveryId: string) => recorder.events.filter((event) => event.id === `webhook-twilio-${deliveryId}`);

describe("POST /api/webhooks/twilio", () => {
  it("accepts a signed status callback (its query string included), keyed by SID and status", async () => {
    const message = outbound();
    const path = `/api/webhooks/twilio?messageId=${randomUUID()}&workspaceId=${randomUUID()}`;
    const response = await signed(path, twilioStatusCallbackParams(message, "delivered", ACCOUNT));
    expect(response.status).toBe(200);
    expect(response.response.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(response.text).toContain("<Response></Response>");
    const deliveryId = `${message.sid}:delivered`;
    expect(eventsFor(deliveryId)).toEqual([expect.objectContaining({ name: "provider/webhook.received", data: { provider: "twilio", deliveryId } })]);
    expect(await getWebhookEvent(database.db, { provider: "twilio", deliveryId })).toMatchObject({
      type: "message.delivered",
      payload: { form: expect.objectContaining({ MessageSid: message.sid }), query: expect.objectContaining({ messageId: expect.any(String) }) },
    });
  });

  it("emits once per (SID, status): a repeat is dropped, the next status is new", async () => {
    const message = outbound();
    const path = "/api/webhooks/twilio";
    await signed(path, twilioStatusCallbackParams(message, "sent", ACCOUNT));
    await signed(path, twilioStatusCallbackParams(message, "sent", ACCOUNT));
    await signed(path, twilioStatusCallbackParams(message, "delivered", ACCOUNT));
    expect(eventsFor(`${message.sid}:sent`)).toHaveLength(1);
    expect(eventsFor(`${message.sid}:delivered`)).toHaveLength(1);
  });

  it("keys an inbound message by its SID", async () => {
    const params = twilioInboundParams({ from: "+14155550100", to: "+14155550999", body: "STOP", accountSid: ACCOUNT });
    expect((await signed("/api/webhooks/twilio", params)).status).toBe(200);
    expect(eventsFor(params.MessageSid!)).toHaveLength(1);
    expect(await getWebhookEvent(database.db, { provider: "twilio", deliveryId: params.MessageSid! })).toMatchObject({ type: "message.inbound" });
  });

  it.each([
    ["another account's auth token", () => signed("/api/webhooks/twilio", twilioStatusCallbackParams(outbound(), "sent", ACCOUNT), "0".repeat(32)), 401],
    [
      "a tampered parameter",
      () => {
        const params = twilioStatusCallbackParams(outbound(), "failed", ACCOUNT);
        return post("/api/webhooks/twilio", { ...params, MessageStatus: "delivered" }, signTwilioRequest(authToken, `${PUBLIC_URL}/api/webhooks/twilio`, params));
      },
      401,
    ],
    [
      "a signature over the private URL the app sees",
      () => signed("/api/webhooks/twilio", twilioStatusCallbackParams(outbound(), "sent", ACCOUNT), authToken, "http://10.0.0.7:3000"),
      401,
    ],
    [
      "a tampered query string",
      () => {
        const params = twilioStatusCallbackParams(outbound(), "sent", ACCOUNT);
        return post(`/api/webhooks/twilio?messageId=${randomUUID()}`, params, signTwilioRequest(authToken, `${PUBLIC_URL}/api/webhooks/twilio?messageId=${randomUUID()}`, params));
      },
      401,
    ],
    ["no X-Twilio-Signature", () => post("/api/webhooks/twilio", twilioStatusCallbackParams(outbound(), "sent", ACCOUNT), null), 400],
  ])("rejects %s", async (_case, send, status) => {
    const before = recorder.events.length;
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.json.error.code).toEqual(expect.any(String));
    expect(recorder.events.length).toBe(before);
  });

  it("answers 400 for a signed request that is neither a status callback nor an inbound message", async () => {
    const response = await signed("/api/webhooks/twilio", { AccountSid: ACCOUNT, MessageSid: "SM1" });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe("invalid_payload");
  });

  it("falls back to TWILIO_STATUS_CALLBACK_URL's origin when PUBLIC_URL is unset", async () => {
    delete process.env.PUBLIC_URL;
    process.env.TWILIO_STATUS_CALLBACK_URL = "https://callbacks.sendline.test/api/webhooks/twilio";
    const response = await signed("/api/webhooks/twilio", twilioStatusCallbackParams(outbound(), "sent", ACCOUNT), authToken, "https://callbacks.sendline.test");
    expect(response.status).toBe(200);
  });

  it("answers 503 without an auth token, or with a PUBLIC_URL that is not a URL", async () => {
    process.env.PUBLIC_URL = "not a url";
    const badUrl = await signed("/api/webhooks/twilio", twilioStatusCallbackParams(outbound(), "sent", ACCOUNT));
    expect(badUrl.status).toBe(503);
    expect(badUrl.json.error.message).toMatch(/PUBLIC_URL/);
    process.env.PUBLIC_URL = PUBLIC_URL;
    delete process.env.TWILIO_AUTH_TOKEN;
    expect((await signed("/api/webhooks/twilio", twilioStatusCallbackParams(outbound(), "sent", ACCOUNT))).status).toBe(503);
  });

  it("answers 503 when the event cannot be emitted, so Twilio's retry is accepted later", async () => {
    const params = twilioInboundParams({ from: "+14155550100", to: "+14155550999", body: "STOP", accountSid: ACCOUNT });
    recorder.failNext(10);
    expect((await signed("/api/webhooks/twilio", params)).status).toBe(503);
    recorder.failNext(0);
    expect((await signed("/api/webhooks/twilio", params)).status).toBe(200);
    expect(eventsFor(params.MessageSid!)).toHaveLength(1);
  });
});
